//! The words of the *bilan pédagogique et financier* (BPF), the yearly return of a French
//! training body: who paid for its training actions (its part C) and what the training aimed at
//! (its part F-3).

use super::common::Sector;

named_enum! {
    /// Who pays for a mission's training, as the BPF's part C groups a training body's revenue.
    pub enum Funder {
        /// A company (or other employer) training its own staff (C-1).
        Company = "company",
        /// An OPCO, the sector's skills operator, paying for an employer's staff (C-2).
        Opco = "opco",
        /// Public money: the State, a region, France Travail, another public body (C-4 to C-8).
        Public = "public",
        /// People paying for themselves (C-9).
        Individual = "individual",
        /// Another training body, this one working as its subcontractor (C-10).
        TrainingBody = "training-body",
        /// Anything else (C-11).
        Other = "other",
    }
}

named_enum! {
    /// What a training aims at, as the BPF's part F-3 groups trainees and hours.
    pub enum Objective {
        /// A diploma or title of the RNCP (F-3 a).
        Rncp = "rncp",
        /// A certification or qualification of the specific register, RS (F-3 b).
        Rs = "rs",
        /// A CQP without RNCP level (F-3 c).
        Cqp = "cqp",
        /// Other professional training (F-3 d): most workshops and facilitator trainings.
        Other = "other",
        /// A skills assessment, bilan de compétences (F-3 e).
        SkillsAssessment = "skills-assessment",
        /// Validation of acquired experience, VAE (F-3 f).
        Vae = "vae",
    }
}

impl Funder {
    /// The funder a mission's sector implies when the mission names none: a business pays
    /// for its staff, schools and public bodies with public money, associations as "other".
    pub fn of_sector(sector: Sector) -> Funder {
        match sector {
            Sector::Business => Funder::Company,
            Sector::Education | Sector::Public => Funder::Public,
            Sector::NonProfit => Funder::Other,
        }
    }
}
