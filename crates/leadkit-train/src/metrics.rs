//! Counting: precision / recall / F1, confusion tables, reliability.

use leadkit_llm::IntentClass;

/// True / false positives and false negatives of one binary decision.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    pub(crate) tp: usize,
    pub(crate) fp: usize,
    pub(crate) fn_: usize,
    pub(crate) n: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, truth: bool, predicted: bool) {
        self.n += 1;
        match (truth, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    pub(crate) fn positives(&self) -> usize {
        self.tp + self.fn_
    }

    pub(crate) fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub(crate) fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub(crate) fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// `P / R / F1` cells, `–` where undefined.
    pub(crate) fn cells(&self) -> String {
        let show = |defined: bool, v: f64| {
            if defined {
                format!("{v:.3}")
            } else {
                "–".into()
            }
        };
        format!(
            "{} | {} | {} | {}",
            self.positives(),
            show(self.tp + self.fp > 0, self.precision()),
            show(self.positives() > 0, self.recall()),
            show(self.positives() > 0, self.f1()),
        )
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Rows: true class; columns: predicted (top) class.
#[derive(Debug, Default)]
pub(crate) struct Confusion([[usize; 6]; 6]);

impl Confusion {
    pub(crate) fn add(&mut self, truth: IntentClass, predicted: IntentClass) {
        self.0[truth.index()][predicted.index()] += 1;
    }

    pub(crate) fn print(&self) {
        let names: Vec<&str> = IntentClass::ALL.iter().map(|c| c.name()).collect();
        println!("| true \\ predicted | {} |", names.join(" | "));
        println!("|---|{}", "---|".repeat(6));
        for class in IntentClass::ALL {
            let row = &self.0[class.index()];
            if row.iter().sum::<usize>() == 0 {
                continue;
            }
            let cells: Vec<String> = row.iter().map(usize::to_string).collect();
            println!("| {} | {} |", class.name(), cells.join(" | "));
        }
    }
}

/// Ten equal-width bins of predicted probability against the observed rate.
#[derive(Debug, Default)]
pub(crate) struct Reliability {
    bins: [(usize, f64, usize); 10],
}

impl Reliability {
    pub(crate) fn add(&mut self, probability: f32, truth: bool) {
        let bin = ((probability * 10.0) as usize).min(9);
        let (n, sum, hits) = &mut self.bins[bin];
        *n += 1;
        *sum += f64::from(probability);
        *hits += usize::from(truth);
    }

    /// Expected calibration error: the bins' |mean predicted − observed|,
    /// weighted by their share of items.
    pub(crate) fn ece(&self) -> f64 {
        let total: usize = self.bins.iter().map(|b| b.0).sum();
        self.bins
            .iter()
            .filter(|b| b.0 > 0)
            .map(|&(n, sum, hits)| {
                (n as f64 / total as f64) * (sum / n as f64 - hits as f64 / n as f64).abs()
            })
            .sum()
    }

    pub(crate) fn print(&self) {
        println!("| predicted interest | items | mean predicted | observed interest rate |");
        println!("|---|---|---|---|");
        for (i, &(n, sum, hits)) in self.bins.iter().enumerate() {
            if n == 0 {
                continue;
            }
            println!(
                "| {:.1}–{:.1} | {n} | {:.3} | {:.3} |",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                sum / n as f64,
                hits as f64 / n as f64
            );
        }
        println!("\nECE: {:.4}", self.ece());
    }
}
