//! `preflight policy export`: the policy files that push a bundle to Chrome, Edge and Firefox
//! on Linux, Windows and macOS (docs/ADMIN.md):
//!
//! * `linux/{chrome,chromium,edge}/preflight.json`: managed-policy JSON (the bundle as a
//!   JSON string under `3rdparty.extensions.<id>`);
//! * `windows/{chrome,edge}.reg` and `.ps1`: the same values under
//!   `HKLM\Software\Policies\…\3rdparty\extensions\<id>\policy`;
//! * `macos/preflight.mobileconfig`: one configuration profile with a payload per browser,
//!   its UUIDs derived (UUID v5) from the bundle id, so a re-export replaces the profile;
//! * `firefox/policies.json`: `policies.3rdparty.Extensions.<add-on id>`, for every OS.
//!
//! Every file holds the bundle byte for byte: the pushed string is the bundle file's text
//! (or the signed envelope's), never a re-serialization.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::cmd::sign::{pinned_key, Envelope};
use crate::exit::{self, CliError};
use crate::input;

/// The extension's manifest, for its key (hence its Chrome id).
const MANIFEST: &str = include_str!("../../../../extension/manifest.template.json");
/// The Firefox add-on id (scripts/build-extension.sh).
pub const FIREFOX_ID: &str = "preflight@preflight.example.gov";

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the policy files for Chrome, Edge and Firefox on Linux, Windows and macOS.
    Export(Args),
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle to push: plain or signed (`bundle sign`). It must validate.
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// Directory to write into (created).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Pin a public key (base64 or a NAME.pub file): only bundles it signed apply. Repeat to
    /// pin several (key rotation).
    #[arg(long = "key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// Let users load their own bundle (`allowUserBundle`).
    #[arg(long, value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_user_bundle: bool,
    /// Let users switch checking off (`allowDisable`).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub allow_disable: bool,
    /// Force showing (true) or hiding (false) advice (`showAdvice`); unset: users choose.
    #[arg(long, value_name = "BOOL")]
    pub show_advice: Option<bool>,
    /// Accept a bundle whose version is lower than the last one applied (`allowDowngrade`).
    #[arg(long)]
    pub allow_downgrade: bool,
    /// Chrome extension id (default: the id of the published extension's key).
    #[arg(long, value_name = "ID")]
    pub chrome_id: Option<String>,
    /// Edge extension id (default: the Chrome id; an Edge Add-ons listing has its own).
    #[arg(long, value_name = "ID")]
    pub edge_id: Option<String>,
    /// Firefox add-on id.
    #[arg(long, value_name = "ID", default_value = FIREFOX_ID)]
    pub firefox_id: String,
}

/// The Chrome extension id of the manifest's `key`: the first 128 bits of its SHA-256, one
/// letter `a`–`p` per hex digit.
pub fn chrome_id() -> Result<String, CliError> {
    use base64::Engine as _;
    let manifest: Value =
        serde_json::from_str(MANIFEST).map_err(|e| CliError::Data(format!("manifest: {e}")))?;
    let key = manifest
        .get("key")
        .and_then(Value::as_str)
        .and_then(|k| base64::engine::general_purpose::STANDARD.decode(k).ok())
        .ok_or_else(|| CliError::Data("manifest has no key".into()))?;
    let digest = Sha256::digest(key);
    Ok(digest[..16]
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .map(|n| char::from(b'a' + n))
        .collect())
}

/// The managed values pushed to every browser.
pub fn values(bundle: &str, args: &Args, keys: &[String]) -> Map<String, Value> {
    let mut v = Map::new();
    v.insert("bundle".into(), json!(bundle));
    v.insert("allowUserBundle".into(), json!(args.allow_user_bundle));
    v.insert("allowDisable".into(), json!(args.allow_disable));
    if let Some(show) = args.show_advice {
        v.insert("showAdvice".into(), json!(show));
    }
    if !keys.is_empty() {
        v.insert("bundleKeys".into(), json!(keys));
    }
    if args.allow_downgrade {
        v.insert("allowDowngrade".into(), json!(true));
    }
    v
}

/// A stable UUID for `part` of the profile of bundle `id`.
pub fn profile_uuid(id: &str, part: &str) -> String {
    let ns = Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://preflight.example.gov/policy-export",
    );
    Uuid::new_v5(&ns, format!("{id}/{part}").as_bytes())
        .to_string()
        .to_uppercase()
}

/// `.reg` string data: backslashes and quotes escaped; a value with a line break is written
/// as `hex(1):` (UTF-16LE), the only form `.reg` files carry line breaks in.
fn reg_string(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        let bytes: Vec<String> = s
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("hex(1):{}", bytes.join(","))
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The Windows registry key of a browser's policy for extension `id`.
fn reg_key(vendor: &str, id: &str) -> String {
    format!("HKEY_LOCAL_MACHINE\\Software\\Policies\\{vendor}\\3rdparty\\extensions\\{id}\\policy")
}

/// A `.reg` file (Registry Editor 5.00, UTF-16LE with BOM is what regedit writes; UTF-8
/// text is read too) setting `values`. Lists become a subkey with values `1`, `2`, …
pub fn reg_file(vendor: &str, id: &str, values: &Map<String, Value>) -> String {
    let key = reg_key(vendor, id);
    let mut s = format!("Windows Registry Editor Version 5.00\r\n\r\n[{key}]\r\n");
    let mut lists = String::new();
    for (name, v) in values {
        match v {
            Value::Bool(b) => s += &format!("\"{name}\"=dword:{:08x}\r\n", u32::from(*b)),
            Value::String(t) => s += &format!("\"{name}\"={}\r\n", reg_string(t)),
            Value::Array(items) => {
                lists += &format!("\r\n[{key}\\{name}]\r\n");
                for (i, item) in items.iter().enumerate() {
                    lists += &format!(
                        "\"{}\"={}\r\n",
                        i + 1,
                        reg_string(item.as_str().unwrap_or(""))
                    );
                }
            }
            _ => {}
        }
    }
    s + &lists
}

/// The PowerShell equivalent of [`reg_file`] (run elevated; also the Intune script).
pub fn ps1_file(vendor: &str, id: &str, values: &Map<String, Value>) -> String {
    let key = format!("HKLM:\\Software\\Policies\\{vendor}\\3rdparty\\extensions\\{id}\\policy");
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut s = format!(
        "# preflight: managed policy for {vendor} (run elevated). Generated by `preflight policy export`.\r\n\
         $ErrorActionPreference = 'Stop'\r\n$key = {}\r\nNew-Item -Path $key -Force | Out-Null\r\n",
        q(&key)
    );
    for (name, v) in values {
        match v {
            Value::Bool(b) => {
                s += &format!(
                    "New-ItemProperty -Path $key -Name {} -PropertyType DWord -Value {} -Force | Out-Null\r\n",
                    q(name),
                    u32::from(*b)
                )
            }
            Value::String(t) => {
                s += &format!(
                    "New-ItemProperty -Path $key -Name {} -PropertyType String -Value {} -Force | Out-Null\r\n",
                    q(name),
                    q(t)
                )
            }
            Value::Array(items) => {
                s += &format!(
                    "$list = Join-Path $key {}\r\nif (Test-Path $list) {{ Remove-Item $list -Recurse -Force }}\r\nNew-Item -Path $list -Force | Out-Null\r\n",
                    q(name)
                );
                for (i, item) in items.iter().enumerate() {
                    s += &format!(
                        "New-ItemProperty -Path $list -Name '{}' -PropertyType String -Value {} -Force | Out-Null\r\n",
                        i + 1,
                        q(item.as_str().unwrap_or(""))
                    );
                }
            }
            _ => {}
        }
    }
    s
}

fn plist_value(v: &Value) -> plist::Value {
    match v {
        Value::Bool(b) => plist::Value::Boolean(*b),
        Value::String(s) => plist::Value::String(s.clone()),
        Value::Array(a) => plist::Value::Array(a.iter().map(plist_value).collect()),
        Value::Object(o) => {
            plist::Value::Dictionary(o.iter().map(|(k, v)| (k.clone(), plist_value(v))).collect())
        }
        Value::Number(n) => plist::Value::Integer(n.as_i64().unwrap_or(0).into()),
        Value::Null => plist::Value::String(String::new()),
    }
}

/// A macOS configuration profile with one payload per browser.
pub fn mobileconfig(
    bundle_id: &str,
    org: &str,
    ids: &Ids,
    values: &Map<String, Value>,
) -> Result<Vec<u8>, CliError> {
    let payload = |domain: &str, part: &str, name: &str, keys: plist::Dictionary| {
        let mut d = plist::Dictionary::new();
        d.insert("PayloadType".into(), domain.into());
        d.insert("PayloadVersion".into(), 1.into());
        d.insert(
            "PayloadIdentifier".into(),
            format!("gov.preflight.{bundle_id}.{part}").into(),
        );
        d.insert("PayloadUUID".into(), profile_uuid(bundle_id, part).into());
        d.insert("PayloadDisplayName".into(), name.into());
        d.insert("PayloadEnabled".into(), true.into());
        for (k, v) in keys {
            d.insert(k, v);
        }
        plist::Value::Dictionary(d)
    };
    let managed: plist::Dictionary = values
        .iter()
        .map(|(k, v)| (k.clone(), plist_value(v)))
        .collect();
    let mut firefox = plist::Dictionary::new();
    firefox.insert("EnterprisePoliciesEnabled".into(), true.into());
    firefox.insert(
        "3rdparty".into(),
        plist_value(&json!({"Extensions": {&ids.firefox: Value::Object(values.clone())}})),
    );
    let mut top = plist::Dictionary::new();
    top.insert("PayloadType".into(), "Configuration".into());
    top.insert("PayloadVersion".into(), 1.into());
    top.insert(
        "PayloadIdentifier".into(),
        format!("gov.preflight.{bundle_id}").into(),
    );
    top.insert(
        "PayloadUUID".into(),
        profile_uuid(bundle_id, "profile").into(),
    );
    top.insert(
        "PayloadDisplayName".into(),
        format!("preflight rule bundle ({org})").into(),
    );
    top.insert("PayloadOrganization".into(), org.into());
    top.insert("PayloadScope".into(), "System".into());
    top.insert(
        "PayloadContent".into(),
        plist::Value::Array(vec![
            payload(
                &format!("com.google.Chrome.extensions.{}", ids.chrome),
                "chrome",
                "preflight for Chrome",
                managed.clone(),
            ),
            payload(
                &format!("com.microsoft.Edge.extensions.{}", ids.edge),
                "edge",
                "preflight for Edge",
                managed,
            ),
            payload(
                "org.mozilla.firefox",
                "firefox",
                "preflight for Firefox",
                firefox,
            ),
        ]),
    );
    let mut out = Vec::new();
    plist::Value::Dictionary(top)
        .to_writer_xml(&mut out)
        .map_err(|e| CliError::Data(format!("plist: {e}")))?;
    Ok(out)
}

/// The extension ids per browser.
pub struct Ids {
    pub chrome: String,
    pub edge: String,
    pub firefox: String,
}

fn write(dir: &Path, rel: &str, bytes: &[u8], written: &mut Vec<String>) -> Result<(), CliError> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::io(format!("cannot create {}", parent.display()), e))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))?;
    written.push(rel.to_string());
    Ok(())
}

pub fn run(cmd: Command) -> Result<u8, CliError> {
    let Command::Export(args) = cmd;
    let name = args.bundle.display().to_string();
    let text = input::read_text(&args.bundle)?;
    let keys = args
        .keys
        .iter()
        .map(|k| pinned_key(k))
        .collect::<Result<Vec<_>, _>>()?;
    // The pushed text must be what the extension will accept.
    let inner = match Envelope::read(&text) {
        Some(Ok(e)) => {
            e.verify(&keys).map_err(|m| CliError::Data(format!("{name}: {m}")))?;
            e.bundle
        }
        Some(Err(m)) => return Err(CliError::Data(format!("{name}: {m}"))),
        None if !keys.is_empty() => {
            return Err(CliError::Usage(format!(
                "{name} is not signed but keys are pinned: the browsers would refuse it (sign it with `bundle sign`)"
            )))
        }
        None => text.clone(),
    };
    let engine = input::compile(&name, &inner)?;
    let meta = &engine.bundle().metadata;
    let chrome = match &args.chrome_id {
        Some(id) => id.clone(),
        None => chrome_id()?,
    };
    let ids = Ids {
        edge: args.edge_id.clone().unwrap_or_else(|| chrome.clone()),
        chrome,
        firefox: args.firefox_id.clone(),
    };
    // A signed bundle is one line of JSON (`bundle sign`): pushed without its final newline.
    let pushed = if inner == text {
        text.as_str()
    } else {
        text.trim_end()
    };
    let values = values(pushed, &args, &keys);
    let pretty = |v: &Value| {
        serde_json::to_string_pretty(v)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Data(e.to_string()))
    };
    let chromium = |id: &str| {
        pretty(&json!({"3rdparty": {"extensions": {id: Value::Object(values.clone())}}}))
    };
    let mut written = Vec::new();
    let dir = &args.out;
    write(
        dir,
        "linux/chrome/preflight.json",
        chromium(&ids.chrome)?.as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "linux/chromium/preflight.json",
        chromium(&ids.chrome)?.as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "linux/edge/preflight.json",
        chromium(&ids.edge)?.as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "windows/chrome.reg",
        reg_file("Google\\Chrome", &ids.chrome, &values).as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "windows/edge.reg",
        reg_file("Microsoft\\Edge", &ids.edge, &values).as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "windows/chrome.ps1",
        ps1_file("Google\\Chrome", &ids.chrome, &values).as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "windows/edge.ps1",
        ps1_file("Microsoft\\Edge", &ids.edge, &values).as_bytes(),
        &mut written,
    )?;
    write(
        dir,
        "macos/preflight.mobileconfig",
        &mobileconfig(&meta.id, &meta.organization, &ids, &values)?,
        &mut written,
    )?;
    let firefox = json!({"policies": {"3rdparty": {"Extensions": {&ids.firefox: Value::Object(values.clone())}}}});
    write(
        dir,
        "firefox/policies.json",
        pretty(&firefox)?.as_bytes(),
        &mut written,
    )?;
    let mut s = format!(
        "exported {} {} ({}) for Chrome {}, Edge {}, Firefox {}:\n",
        meta.id,
        meta.version,
        if keys.is_empty() {
            "no key pinned".to_string()
        } else {
            format!("{} key(s) pinned", keys.len())
        },
        ids.chrome,
        ids.edge,
        ids.firefox
    );
    for w in &written {
        s += &format!("  {}\n", dir.join(w).display());
    }
    super::bundle::write_out(&s)?;
    Ok(exit::OK)
}
