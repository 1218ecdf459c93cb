//! What the engine knows about where and how a draft will be posted.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bundle::Weekday;

/// The context of a draft. Every field is optional: text alone must work.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Site id from the bundle (`x`) or a host name (`x.com`, `mastodon.social`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Handle of the posting account, with or without `@`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The draft is a reply or comment to someone else's post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<bool>,
    /// Explicit on-duty state; wins over `local_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<bool>,
    /// Current time in the bundle's duty-hours time zone, to decide `on_duty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_time: Option<LocalTime>,
}

/// A wall-clock time in the bundle's duty-hours time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalTime {
    pub weekday: Weekday,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

/// What the engine concluded about the posting account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// In the bundle's registry of official accounts.
    Official,
    /// Known, not in the registry.
    Personal,
    /// No account given.
    Unknown,
}
