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
}
