//! `preflight bundle keygen | sign | verify`: Ed25519-signed bundles.
//!
//! A signed bundle is an envelope (docs/BUNDLE.md, "Signed bundles"):
//!
//! ```json
//! {"preflight_signed": 1, "bundle": "<the bundle's JSON text>",
//!  "key": "<base64 public key, 32 bytes>", "signature": "<base64 Ed25519 signature, 64 bytes>"}
//! ```
//!
//! The signature covers the UTF-8 bytes of `bundle` exactly as they are in the string, so no
//! canonical form is needed: the extension verifies the same bytes with WebCrypto.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::exit::{self, CliError};
use crate::input;

/// The envelope's version field: `"preflight_signed": 1`.
pub const ENVELOPE_VERSION: u32 = 1;

/// A signed bundle.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub preflight_signed: u32,
    /// The bundle's JSON text, byte for byte what was signed.
    pub bundle: String,
    /// Base64 of the 32-byte Ed25519 public key.
    pub key: String,
    /// Base64 of the 64-byte Ed25519 signature over `bundle`'s UTF-8 bytes.
    pub signature: String,
}

impl Envelope {
    /// The envelope in `text`, if `text` is one (`None`: a plain bundle).
    pub fn read(text: &str) -> Option<Result<Envelope, String>> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        value.get("preflight_signed")?;
        Some(serde_json::from_value(value).map_err(|e| format!("not a signed bundle: {e}")))
    }

    /// Check the signature (and, when `pinned` is not empty, that its key is pinned).
    pub fn verify(&self, pinned: &[String]) -> Result<(), String> {
        if self.preflight_signed != ENVELOPE_VERSION {
            return Err(format!(
                "signed-bundle version {} is not {ENVELOPE_VERSION}",
                self.preflight_signed
            ));
        }
        let key = public_key(&self.key)?;
        if !pinned.is_empty() && !pinned.iter().any(|p| p.trim() == self.key) {
            return Err(format!("signed by key {} that is not pinned", self.key));
        }
        let sig: [u8; 64] = B64
            .decode(self.signature.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("signature: expected base64 of 64 bytes")?;
        key.verify(self.bundle.as_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| "the signature does not match the bundle (changed after signing, or signed by another key)".to_string())
    }
}

/// A base64 public key (32 bytes).
pub fn public_key(b64: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = B64
        .decode(b64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("public key {b64:?}: expected base64 of 32 bytes"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| format!("public key {b64:?}: {e}"))
}

/// Sign `bundle` (JSON text) with `key`.
pub fn sign(bundle: &str, key: &SigningKey) -> Envelope {
    Envelope {
        preflight_signed: ENVELOPE_VERSION,
        bundle: bundle.to_string(),
        key: B64.encode(key.verifying_key().as_bytes()),
        signature: B64.encode(key.sign(bundle.as_bytes()).to_bytes()),
    }
}

/// A `--key` of `verify` / `policy export`: base64, or a file holding it (`*.pub`).
pub fn pinned_key(arg: &str) -> Result<String, CliError> {
    let text = if Path::new(arg).is_file() {
        input::read_text(Path::new(arg))?
    } else {
        arg.to_string()
    };
    let text = text.trim().to_string();
    public_key(&text).map_err(CliError::Usage)?;
    Ok(text)
}

fn write_new(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(CliError::Usage(format!(
            "{} exists: pass --force to overwrite it",
            path.display()
        )));
    }
    std::fs::write(path, text)
        .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}

/// `keygen --out NAME`: NAME.key (PKCS#8 PEM, private) and NAME.pub (base64 public key).
pub fn keygen(out: &Path, force: bool) -> Result<u8, CliError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed)
        .map_err(|e| CliError::Io(format!("no randomness from the system: {e}")))?;
    let key = SigningKey::from_bytes(&seed);
    let pem = key
        .to_pkcs8_pem(Default::default())
        .map_err(|e| CliError::Data(format!("cannot encode the key: {e}")))?;
    let (private, public) = (out.with_extension("key"), out.with_extension("pub"));
    write_new(&private, &pem, force)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600));
    }
    let b64 = B64.encode(key.verifying_key().as_bytes());
    write_new(&public, &format!("{b64}\n"), force)?;
    eprintln!(
        "wrote {} (private: keep it off shared drives) and {} (public: pin it with `policy export --key`)",
        private.display(),
        public.display()
    );
    super::bundle::write_out(&format!("{b64}\n"))?;
    Ok(exit::OK)
}

/// `sign BUNDLE --key NAME.key --out FILE`: the bundle must validate first.
pub fn sign_cmd(
    file: &Path,
    key: &Path,
    out: Option<&PathBuf>,
    force: bool,
) -> Result<u8, CliError> {
    let name = file.display().to_string();
    let text = input::read_text(file)?;
    if Envelope::read(&text).is_some() {
        return Err(CliError::Usage(format!("{name} is signed already")));
    }
    input::compile(&name, &text)?;
    let pem = input::read_text(key)?;
    let key = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
        CliError::Data(format!(
            "{}: not an Ed25519 private key (PKCS#8 PEM): {e}",
            key.display()
        ))
    })?;
    let envelope = sign(&text, &key);
    let json = serde_json::to_string(&envelope).map_err(|e| CliError::Data(e.to_string()))? + "\n";
    match out {
        Some(path) => {
            write_new(path, &json, force)?;
            eprintln!("wrote {} (signed by {})", path.display(), envelope.key);
        }
        None => super::bundle::write_out(&json)?,
    }
    Ok(exit::OK)
}

/// `verify SIGNED [--key PUB]...`.
pub fn verify_cmd(file: &Path, keys: &[String]) -> Result<u8, CliError> {
    let name = file.display().to_string();
    let text = input::read_text(file)?;
    let envelope = match Envelope::read(&text) {
        Some(Ok(e)) => e,
        Some(Err(e)) => return Err(CliError::Data(format!("{name}: {e}"))),
        None => {
            return Err(CliError::Data(format!(
                "{name}: not signed (no `preflight_signed` envelope)"
            )))
        }
    };
    let pinned = keys
        .iter()
        .map(|k| pinned_key(k))
        .collect::<Result<Vec<_>, _>>()?;
    envelope
        .verify(&pinned)
        .map_err(|e| CliError::Data(format!("{name}: {e}")))?;
    let engine = input::compile(&format!("{name} (signed bundle)"), &envelope.bundle)?;
    let m = &engine.bundle().metadata;
    super::bundle::write_out(&format!(
        "good signature: {name}: {} {} signed by {}{}\n",
        m.id,
        m.version,
        envelope.key,
        if pinned.is_empty() {
            " (no key pinned: pass --key to check whose it is)"
        } else {
            " (pinned)"
        }
    ))?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_bytes_only() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let e = sign("{\"a\": 1}", &key);
        e.verify(&[]).unwrap();
        e.verify(std::slice::from_ref(&e.key)).unwrap();
        let other = B64.encode(SigningKey::from_bytes(&[8; 32]).verifying_key().as_bytes());
        assert!(e
            .verify(std::slice::from_ref(&other))
            .unwrap_err()
            .contains("not pinned"));
        e.verify(&[other, e.key.clone()]).unwrap();
        let changed = Envelope {
            bundle: "{\"a\": 2}".into(),
            ..e.clone()
        };
        assert!(changed.verify(&[]).unwrap_err().contains("does not match"));
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(Envelope::read(&text).unwrap().unwrap().bundle, e.bundle);
        assert!(Envelope::read("{\"format\": 1}").is_none());
    }
}
