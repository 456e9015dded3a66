//! Roles, organisations and the scopes of closed tiles they open.

use std::fmt;

use serde::Serialize;
use shared::register::RegisterId;
use shared::{geography, Lang};

use super::{refused, AuthError, Claims};

/// What a token lets its holder do (the `role` claim).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A municipality: its own citizens.
    Municipality,
    /// A region: its municipalities and hospitals.
    Region,
    /// A health cluster: its municipalities and practices.
    HealthCluster,
    /// A general practice (clinician): its own practice.
    GpPractice,
    /// A GP cluster: its practices.
    GpCluster,
    /// Everything, exact.
    National,
    /// Uploads of one register.
    Ingest,
    /// Key management and release builds.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 8] = [
        Role::Municipality,
        Role::Region,
        Role::HealthCluster,
        Role::GpPractice,
        Role::GpCluster,
        Role::National,
        Role::Ingest,
        Role::Admin,
    ];

    /// The claim value.
    pub fn key(self) -> &'static str {
        match self {
            Role::Municipality => "municipality",
            Role::Region => "region",
            Role::HealthCluster => "health_cluster",
            Role::GpPractice => "gp_practice",
            Role::GpCluster => "gp_cluster",
            Role::National => "national",
            Role::Ingest => "ingest",
            Role::Admin => "admin",
        }
    }

    /// The role with claim value `key`.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The set of closed tiles a token may read. A closed tile belongs to
/// exactly one scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// The whole country.
    National,
    /// A region (1081–1085).
    Region(u16),
    /// A municipality (three-digit code).
    Municipality(u16),
    /// A health cluster (our id).
    HealthCluster(u16),
    /// A GP cluster (its code in the tiles).
    GpCluster(u16),
    /// A general practice (provider number).
    GpPractice(String),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::National => write!(f, "national"),
            Scope::Region(c) => write!(f, "region:{c}"),
            Scope::Municipality(c) => write!(f, "municipality:{c:04}"),
            Scope::HealthCluster(c) => write!(f, "health_cluster:{c}"),
            Scope::GpCluster(c) => write!(f, "gp_cluster:{c}"),
            Scope::GpPractice(p) => write!(f, "gp_practice:{p}"),
        }
    }
}

/// A provider number: 1–10 digits.
fn provider_number(org: &str) -> Option<String> {
    (!org.is_empty() && org.len() <= 10 && org.bytes().all(|b| b.is_ascii_digit()))
        .then(|| org.to_string())
}

impl Scope {
    /// The scope a role's organisation names; `None` for roles that open
    /// no closed tiles, an error when the organisation is missing or not
    /// one of the role's kind.
    pub fn of(role: Role, org: Option<&str>) -> Result<Option<Scope>, String> {
        let org = org.map(str::trim);
        let need = |what: &str| format!("role {} needs an org claim: {what}", role.key());
        let code = |what: &str| -> Result<u16, String> {
            org.ok_or_else(|| need(what))?
                .parse::<u16>()
                .map_err(|_| format!("org {org:?} is not a {what}"))
        };
        Ok(match role {
            Role::National => Some(Scope::National),
            Role::Ingest | Role::Admin => None,
            Role::Municipality => {
                let c = code("municipality code")?;
                geography::municipality(c).ok_or(format!("{c} is no municipality"))?;
                Some(Scope::Municipality(c))
            }
            Role::Region => {
                let c = code("region code")?;
                geography::region(c).ok_or(format!("{c} is no region"))?;
                Some(Scope::Region(c))
            }
            Role::HealthCluster => {
                let c = code("health-cluster id")?;
                geography::HEALTH_CLUSTERS
                    .iter()
                    .find(|h| u16::from(h.id) == c)
                    .ok_or(format!("{c} is no health cluster"))?;
                Some(Scope::HealthCluster(c))
            }
            Role::GpCluster => Some(Scope::GpCluster(code("GP-cluster code")?)),
            Role::GpPractice => Some(Scope::GpPractice(
                org.and_then(provider_number)
                    .ok_or_else(|| need("a provider number"))?,
            )),
        })
    }

    /// Reads a scope as [`fmt::Display`] writes it.
    pub fn parse(text: &str) -> Option<Scope> {
        if text == "national" {
            return Some(Scope::National);
        }
        let (kind, org) = text.split_once(':')?;
        let role = Role::from_key(kind)?;
        Scope::of(role, Some(org)).ok().flatten()
    }

    /// Whether a municipality's citizens are in this scope.
    pub fn has_municipality(&self, code: u16) -> bool {
        let Some(m) = geography::municipality(code) else {
            return false;
        };
        match self {
            Scope::National => true,
            Scope::Region(r) => m.region == *r,
            Scope::Municipality(c) => *c == code,
            Scope::HealthCluster(h) => u16::from(m.health_cluster) == *h,
            Scope::GpCluster(_) | Scope::GpPractice(_) => false,
        }
    }

    /// The organisation's name, for people, in Danish.
    pub fn label(&self) -> String {
        self.label_in(Lang::Da)
    }

    /// The organisation's name, for people, in `lang`.
    pub fn label_in(&self, lang: Lang) -> String {
        let da = lang == Lang::Da;
        match self {
            Scope::National if da => "Hele landet".to_string(),
            Scope::National => "Whole country".to_string(),
            Scope::Region(r) => geography::region(*r).map_or(r.to_string(), |r| r.name.into()),
            Scope::Municipality(c) => geography::municipality(*c).map_or(c.to_string(), |m| {
                if da {
                    format!("{} Kommune", m.name)
                } else {
                    format!("{} Municipality", m.name)
                }
            }),
            Scope::HealthCluster(h) => geography::HEALTH_CLUSTERS
                .iter()
                .find(|c| u16::from(c.id) == *h)
                .map_or(h.to_string(), |c| c.name.to_string()),
            Scope::GpCluster(c) if da => format!("Lægeklynge {c}"),
            Scope::GpCluster(c) => format!("GP cluster {c}"),
            Scope::GpPractice(p) if da => format!("Ydernummer {p}"),
            Scope::GpPractice(p) => format!("Provider number {p}"),
        }
    }
}

/// The verified caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user (`sub`).
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Role.
    pub role: Role,
    /// Organisation as the token wrote it.
    pub org: Option<String>,
    /// The closed tiles it opens.
    pub scope: Option<Scope>,
    /// The register an `ingest` token may upload.
    pub register: Option<RegisterId>,
    /// Display name.
    pub name: Option<String>,
    /// Expiry (seconds since 1970).
    pub expires: u64,
}

impl Principal {
    /// Checks the role and organisation claims of verified `claims`.
    pub fn from_claims(claims: Claims) -> Result<Principal, AuthError> {
        let role = Role::from_key(&claims.role)
            .ok_or_else(|| refused(format!("unknown role {:?}", claims.role)))?;
        let scope = Scope::of(role, claims.org.as_deref()).map_err(refused)?;
        let register = match role {
            Role::Ingest => Some(
                claims
                    .org
                    .as_deref()
                    .and_then(RegisterId::from_key)
                    .ok_or_else(|| refused("an ingest token needs a register as org"))?,
            ),
            _ => None,
        };
        Ok(Principal {
            subject: claims.sub,
            issuer: claims.iss,
            role,
            org: claims.org,
            scope,
            register,
            name: claims.name,
            expires: claims.exp,
        })
    }

    /// Whether this caller may read the closed tiles of `scope`.
    pub fn covers(&self, scope: &Scope) -> bool {
        match &self.scope {
            Some(Scope::National) => true,
            Some(own) => own == scope,
            None => false,
        }
    }

    /// The owner key of saved reports: issuer and subject.
    pub fn owner(&self) -> String {
        format!("{}|{}", self.issuer, self.subject)
    }

    /// The organisation reports may be shared with: role and scope (or
    /// role alone for roles without one).
    pub fn organisation(&self) -> String {
        match &self.scope {
            Some(scope) => scope.to_string(),
            None => self.role.key().to_string(),
        }
    }
}
