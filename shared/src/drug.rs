//! A small, hand-entered table of medicinal products for the synthetic
//! prescription register (LSR): ATC code, product, package sizes and
//! defined daily doses (DDD) per unit.
//!
//! ILLUSTRATIVE ONLY. The WHO ATC/DDD index may not be redistributed, so
//! the DDD values here are rounded, hand-entered approximations chosen to
//! give plausible totals; they are not the official DDDs and must not be
//! used for anything but synthetic data and tests. Product names are
//! generic substance names with a strength, not brand names.

use crate::measure::QuantityId;
use crate::text::{Lang, Text};

/// A drug group as used by the Ordiprax-style indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DrugGroup {
    /// Opioids (N02A).
    Opioid,
    /// Benzodiazepines and related hypnotics (N05BA, N05CD, N05CF).
    Benzodiazepine,
    /// Antipsychotics (N05A, lithium excluded).
    Antipsychotic,
    /// Lithium (N05AN01): in N05A but outside the antipsychotics group.
    Lithium,
    /// Psychostimulants for ADHD (N06B).
    AdhdMedication,
    /// Antidepressants (N06A).
    Antidepressant,
    /// Anything else.
    Other,
}

impl DrugGroup {
    /// The groups of the Ordiprax indicators, in display order.
    pub const INDICATORS: [DrugGroup; 5] = [
        DrugGroup::Opioid,
        DrugGroup::Benzodiazepine,
        DrugGroup::Antipsychotic,
        DrugGroup::AdhdMedication,
        DrugGroup::Antidepressant,
    ];

    /// The group of the Ordiprax-style indicators of an ATC code.
    pub fn of_atc(atc: &str) -> DrugGroup {
        if atc == "N05AN01" {
            DrugGroup::Lithium
        } else if atc.starts_with("N02A") {
            DrugGroup::Opioid
        } else if atc.starts_with("N05BA") || atc.starts_with("N05CD") || atc.starts_with("N05CF") {
            DrugGroup::Benzodiazepine
        } else if atc.starts_with("N05A") {
            DrugGroup::Antipsychotic
        } else if atc.starts_with("N06B") {
            DrugGroup::AdhdMedication
        } else if atc.starts_with("N06A") {
            DrugGroup::Antidepressant
        } else {
            DrugGroup::Other
        }
    }

    /// The `drug_group` code of an indicator group (1–5, in
    /// [`DrugGroup::INDICATORS`] order).
    pub fn code(self) -> Option<u16> {
        DrugGroup::INDICATORS
            .iter()
            .position(|g| *g == self)
            .map(|i| i as u16 + 1)
    }

    /// The indicator group of a `drug_group` code.
    pub fn from_code(code: u16) -> Option<DrugGroup> {
        usize::from(code)
            .checked_sub(1)
            .and_then(|i| DrugGroup::INDICATORS.get(i).copied())
    }

    /// Its name.
    pub fn label(self) -> Text {
        let (da, en) = match self {
            DrugGroup::Opioid => ("Opioider", "Opioids"),
            DrugGroup::Benzodiazepine => (
                "Sovemidler og beroligende midler",
                "Hypnotics and sedatives",
            ),
            DrugGroup::Antipsychotic => ("Antipsykotika", "Antipsychotics"),
            DrugGroup::AdhdMedication => ("Centralstimulerende midler", "Central stimulants"),
            DrugGroup::Antidepressant => ("Antidepressiva", "Antidepressants"),
            DrugGroup::Lithium => ("Lithium", "Lithium"),
            DrugGroup::Other => ("Andre lægemidler", "Other medicines"),
        };
        Text { da, en }
    }

    /// The tile quantities of an indicator group: its patients and its
    /// DDD; `None` for lithium and other drugs.
    pub fn quantities(self) -> Option<(QuantityId, QuantityId)> {
        use QuantityId as Q;
        match self {
            DrugGroup::Opioid => Some((Q::OpioidPatients, Q::OpioidDdd)),
            DrugGroup::Benzodiazepine => Some((Q::SedativePatients, Q::SedativeDdd)),
            DrugGroup::Antipsychotic => Some((Q::AntipsychoticPatients, Q::AntipsychoticDdd)),
            DrugGroup::AdhdMedication => Some((Q::StimulantPatients, Q::StimulantDdd)),
            DrugGroup::Antidepressant => Some((Q::AntidepressantPatients, Q::AntidepressantDdd)),
            DrugGroup::Lithium | DrugGroup::Other => None,
        }
    }
}

/// One medicinal product.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drug {
    /// ATC code at level 5.
    pub atc: &'static str,
    /// Product name (substance, strength, form).
    pub product: &'static str,
    /// Package sizes in units (tablets, patches, injections …).
    pub package_sizes: &'static [u32],
    /// Defined daily doses per unit (illustrative, see the module doc).
    pub ddd_per_unit: f64,
    /// A depot (long-acting injection) formulation.
    pub depot: bool,
    /// Dependence-producing (addictive) medicine.
    pub addictive: bool,
}

impl Drug {
    /// The group of the Ordiprax-style indicators this product falls in.
    pub fn group(&self) -> DrugGroup {
        DrugGroup::of_atc(self.atc)
    }

    /// DDD in a package of `units`.
    pub fn ddd(&self, units: u32) -> f64 {
        (f64::from(units) * self.ddd_per_unit * 100.0).round() / 100.0
    }
}

const fn drug(
    atc: &'static str,
    product: &'static str,
    package_sizes: &'static [u32],
    ddd_per_unit: f64,
    depot: bool,
    addictive: bool,
) -> Drug {
    Drug {
        atc,
        product,
        package_sizes,
        ddd_per_unit,
        depot,
        addictive,
    }
}

/// The products (illustrative DDDs; see the module doc).
#[rustfmt::skip]
pub const DRUGS: &[Drug] = &[
    // Opioids, N02A.
    drug("N02AA01", "Morphine 10 mg tablets", &[30, 100], 0.1, false, true),
    drug("N02AA05", "Oxycodone 10 mg prolonged-release tablets", &[28, 98], 0.133, false, true),
    drug("N02AB03", "Fentanyl 25 microgram/h patches", &[5, 10], 1.5, false, true),
    drug("N02AJ06", "Codeine 30 mg and paracetamol 500 mg tablets", &[20, 50, 100], 0.125, false, true),
    drug("N02AX02", "Tramadol 50 mg capsules", &[20, 50, 100], 0.167, false, true),
    // Benzodiazepines and related, N05BA, N05CD, N05CF.
    drug("N05BA01", "Diazepam 5 mg tablets", &[25, 100], 0.5, false, true),
    drug("N05BA04", "Oxazepam 15 mg tablets", &[20, 100], 0.3, false, true),
    drug("N05CD02", "Nitrazepam 5 mg tablets", &[20, 100], 1.0, false, true),
    drug("N05CF01", "Zopiclone 7.5 mg tablets", &[10, 30, 100], 1.0, false, true),
    drug("N05CF02", "Zolpidem 10 mg tablets", &[10, 30], 1.0, false, true),
    // Antipsychotics, N05A (lithium is listed but outside the group).
    drug("N05AH03", "Olanzapine 10 mg tablets", &[28, 98], 1.0, false, false),
    drug("N05AH04", "Quetiapine 25 mg tablets", &[60, 100], 0.0625, false, false),
    drug("N05AX08", "Risperidone 2 mg tablets", &[20, 60], 0.4, false, false),
    drug("N05AX12", "Aripiprazole 400 mg depot injection", &[1], 28.0, true, false),
    drug("N05AN01", "Lithium carbonate 300 mg tablets", &[100], 0.3, false, false),
    // ADHD medication, N06B.
    drug("N06BA04", "Methylphenidate 36 mg prolonged-release tablets", &[30], 1.2, false, true),
    // Antidepressants, N06A.
    drug("N06AB10", "Escitalopram 10 mg tablets", &[28, 98], 1.0, false, false),
    drug("N06AB06", "Sertraline 50 mg tablets", &[30, 98], 1.0, false, false),
    drug("N06AX11", "Mirtazapine 30 mg tablets", &[30, 100], 1.0, false, false),
    // Common others.
    drug("A10BA02", "Metformin 500 mg tablets", &[100, 300], 0.25, false, false),
    drug("A10AE04", "Insulin glargine 100 units/ml pen 3 ml", &[5, 10], 7.5, false, false),
    drug("C10AA05", "Atorvastatin 20 mg tablets", &[30, 100], 1.0, false, false),
    drug("C08CA01", "Amlodipine 5 mg tablets", &[30, 100], 1.0, false, false),
    drug("R03AC02", "Salbutamol 0.1 mg/dose inhaler 200 doses", &[1, 2], 25.0, false, false),
    drug("R03AK07", "Budesonide/formoterol 160/4.5 microgram inhaler 120 doses", &[1, 3], 30.0, false, false),
    drug("M05BA04", "Alendronic acid 70 mg tablets", &[4, 12], 7.0, false, false),
    drug("L04AX03", "Methotrexate 2.5 mg tablets", &[24, 100], 0.4, false, false),
    drug("N06DA02", "Donepezil 10 mg tablets", &[28, 98], 1.0, false, false),
    drug("N02BE01", "Paracetamol 500 mg tablets", &[100, 300], 0.167, false, false),
    drug("J01CA04", "Amoxicillin 500 mg tablets", &[20, 30], 0.5, false, false),
    drug("J01CA08", "Pivmecillinam 200 mg tablets", &[10, 20], 0.5, false, false),
    drug("J01CE02", "Phenoxymethylpenicillin 1 MIU tablets", &[20, 40], 0.5, false, false),
];

/// The product with `atc`.
pub fn drug_by_atc(atc: &str) -> Option<&'static Drug> {
    DRUGS.iter().find(|d| d.atc == atc)
}

/// The product named `product` (as in the prescription register).
pub fn drug_by_product(product: &str) -> Option<(usize, &'static Drug)> {
    DRUGS.iter().enumerate().find(|(_, d)| d.product == product)
}

/// What in a drug group a `medicine` code stands for (see
/// `DimensionId::Medicine`): the group drilled down to its drugs (ATC
/// level 5) and products, or cut by the products' attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medicine {
    /// The whole group (code 0).
    Group,
    /// A drug, by the index in [`DRUGS`] of its first product (code 101…).
    Drug(usize),
    /// A product, by its index in [`DRUGS`] (code 1…).
    Product(usize),
    /// The group's addictive products (201) or the others (202).
    Addictive(bool),
    /// The group's depot formulations (203) or the others (204).
    Depot(bool),
}

impl Medicine {
    /// Its `medicine` code.
    pub fn code(self) -> u16 {
        match self {
            Medicine::Group => 0,
            Medicine::Product(i) => i as u16 + 1,
            Medicine::Drug(i) => i as u16 + 101,
            Medicine::Addictive(yes) => {
                if yes {
                    201
                } else {
                    202
                }
            }
            Medicine::Depot(yes) => {
                if yes {
                    203
                } else {
                    204
                }
            }
        }
    }

    /// The medicine of a code.
    pub fn from_code(code: u16) -> Option<Medicine> {
        let index = |base: u16| {
            usize::from(code - base)
                .checked_sub(1)
                .filter(|i| *i < DRUGS.len())
        };
        match code {
            0 => Some(Medicine::Group),
            1..=100 => index(0).map(Medicine::Product),
            101..=200 => index(100)
                .filter(|&i| first_of_atc(DRUGS[i].atc) == i)
                .map(Medicine::Drug),
            201 | 202 => Some(Medicine::Addictive(code == 201)),
            203 | 204 => Some(Medicine::Depot(code == 203)),
            _ => None,
        }
    }

    /// The codes a redemption of product `index` counts in: its drug, its
    /// product and its attributes (not the group's code 0).
    pub fn codes_of_product(index: usize) -> [u16; 4] {
        let d = &DRUGS[index];
        [
            Medicine::Drug(first_of_atc(d.atc)).code(),
            Medicine::Product(index).code(),
            Medicine::Addictive(d.addictive).code(),
            Medicine::Depot(d.depot).code(),
        ]
    }

    /// The drugs of `group`, in table order.
    pub fn drugs_of(group: DrugGroup) -> Vec<Medicine> {
        let mut out: Vec<Medicine> = Vec::new();
        for (i, d) in DRUGS.iter().enumerate() {
            if d.group() == group && first_of_atc(d.atc) == i {
                out.push(Medicine::Drug(i));
            }
        }
        out
    }

    /// The products of `group`, in table order.
    pub fn products_of(group: DrugGroup) -> Vec<Medicine> {
        (0..DRUGS.len())
            .filter(|&i| DRUGS[i].group() == group)
            .map(Medicine::Product)
            .collect()
    }

    /// Its label: "N02AX02 Tramadol", a product's name, or the attribute.
    pub fn label(self, lang: Lang) -> String {
        let text = |da: &str, en: &str| match lang {
            Lang::Da => da.to_string(),
            Lang::En => en.to_string(),
        };
        match self {
            Medicine::Group => text("Hele gruppen", "The whole group"),
            Medicine::Drug(i) => {
                let d = &DRUGS[i];
                let substance: String = d
                    .product
                    .split(' ')
                    .take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{} {substance}", d.atc)
            }
            Medicine::Product(i) => DRUGS[i].product.to_string(),
            Medicine::Addictive(true) => text("Afhængighedsskabende", "Addictive"),
            Medicine::Addictive(false) => text("Ikke afhængighedsskabende", "Not addictive"),
            Medicine::Depot(true) => text("Depotpræparater", "Depot formulations"),
            Medicine::Depot(false) => text("Ikke depotpræparater", "Not depot formulations"),
        }
    }
}

/// The index of the first product with `atc`.
fn first_of_atc(atc: &str) -> usize {
    DRUGS.iter().position(|d| d.atc == atc).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        for d in DRUGS {
            let b = d.atc.as_bytes();
            assert_eq!(b.len(), 7, "{}", d.atc);
            assert!(b[0].is_ascii_uppercase() && b[3].is_ascii_uppercase());
            assert!(!d.package_sizes.is_empty() && d.ddd_per_unit > 0.0);
            assert_eq!(drug_by_atc(d.atc), Some(d));
        }
    }

    #[test]
    fn groups_follow_the_indicators() {
        let group = |atc| drug_by_atc(atc).map(Drug::group);
        assert_eq!(group("N02AX02"), Some(DrugGroup::Opioid));
        assert_eq!(group("N05CF01"), Some(DrugGroup::Benzodiazepine));
        assert_eq!(group("N05AX12"), Some(DrugGroup::Antipsychotic));
        assert_eq!(group("N05AN01"), Some(DrugGroup::Lithium));
        assert_eq!(group("N06BA04"), Some(DrugGroup::AdhdMedication));
        assert_eq!(group("N06AB10"), Some(DrugGroup::Antidepressant));
        // The indicator groups, and only they, have tile quantities.
        assert!(DrugGroup::INDICATORS
            .iter()
            .all(|g| g.quantities().is_some()));
        assert_eq!(DrugGroup::Lithium.quantities(), None);
        assert_eq!(DrugGroup::of_atc("N05AN01"), DrugGroup::Lithium);
        assert_eq!(group("A10BA02"), Some(DrugGroup::Other));
        assert!(drug_by_atc("N05AX12").is_some_and(|d| d.depot));
    }

    #[test]
    fn medicine_codes_read_back_and_drill_from_group_to_drug_to_product() {
        for g in DrugGroup::INDICATORS {
            assert_eq!(g.code().and_then(DrugGroup::from_code), Some(g));
            let drugs = Medicine::drugs_of(g);
            let products = Medicine::products_of(g);
            assert!(!drugs.is_empty() && products.len() >= drugs.len(), "{g:?}");
            for m in drugs.iter().chain(&products) {
                assert_eq!(Medicine::from_code(m.code()), Some(*m));
            }
        }
        assert_eq!(DrugGroup::Lithium.code(), None);
        for m in [
            Medicine::Group,
            Medicine::Addictive(true),
            Medicine::Depot(false),
        ] {
            assert_eq!(Medicine::from_code(m.code()), Some(m));
        }
        // Tramadol: its drug, product and attributes.
        let (i, _) = drug_by_product("Tramadol 50 mg capsules").expect("in the table");
        let [drug, product, addictive, depot] = Medicine::codes_of_product(i);
        assert_eq!(
            Medicine::from_code(drug).map(|m| m.label(Lang::En)),
            Some("N02AX02 Tramadol".into())
        );
        assert_eq!(product, i as u16 + 1);
        assert_eq!((addictive, depot), (201, 204));
        // A drug code must name a drug's first product.
        assert_eq!(Medicine::from_code(300), None);
    }
}
