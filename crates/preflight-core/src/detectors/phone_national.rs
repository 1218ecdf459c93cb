//! Phone numbers written in a country's national format, without `+country` (part of
//! `PHONE_NUMBER`, see `phone.rs`).
//!
//! A number is a run of two to six digit groups joined by single separators (`030 1234567`,
//! `06.12.34.56.78`, `(02) 9876 5432`, `(11) 91234-5678`), free-standing (not glued to a word
//! or to more digits). It is taken for a phone number only when a plan of [`PLANS`] accepts
//! it: total digit count, leading digits (trunk `0` and area or mobile prefix) and the exact
//! group lengths people use in that country. Separators must be the same throughout, except
//! that the one after the first group may be a space (`11 91234-5678`) or a `/`
//! (`030/1234567`), and a first group in brackets is followed by a space or nothing.
//!
//! Scores: a trunk `0` (`020 7946 0958`) or an area code in brackets 0.6; national mobile
//! shapes without a trunk prefix that are still distinctive (India `98765 43210`, Mexico
//! `55 1234 5678`, Brazil `11 91234-5678`, Italy `333 123 4567`) 0.5; shapes that ordinary
//! numbers share (Spain `612 345 678` reads as thousands, Brazil landline `11 3456 7890`)
//! 0.4, and so do two-digit groups in ascending order (`06 12 34 45 49` reads as a lottery
//! draw); bare digits with a trunk `0` (`07700900123`) 0.3. Context words add 0.35 as for every
//! phone number.
//!
//! Why a table and not the `phonenumber` crate (libphonenumber's metadata): that metadata is
//! several hundred kilobytes, far over what the WebAssembly module can still take (about
//! 17 KB), and it validates numbers one at a time, where a detector must first find them in
//! prose; it also accepts the bare digit strings that order and tracking numbers are made of.
//! The table below keeps only the shapes people write, which is what keeps precision up.

/// A national numbering plan: which digit strings, in which groupings, are phone numbers
/// (the country in a comment above each).
struct Plan {
    /// Total digits, trunk `0` included.
    digits: (usize, usize),
    /// The leading digits (values 0–9) a number must start with.
    lead: fn(&[u8]) -> bool,
    /// Group lengths, exactly as written.
    shapes: &'static [&'static [u8]],
    /// Score of a match without a trunk `0` or brackets.
    score: f32,
}

fn trunk(d: &[u8]) -> bool {
    d[0] == 0 && d[1] != 0
}

/// The national plans, most common countries beyond NANP (which `phone.rs` handles).
const PLANS: &[Plan] = &[
    // United Kingdom
    Plan {
        digits: (11, 11),
        lead: |d| d[0] == 0 && matches!(d[1], 1 | 2 | 3 | 7 | 8),
        shapes: &[&[3, 4, 4], &[4, 3, 4], &[5, 6], &[5, 3, 3]],
        score: 0.6,
    },
    // Germany
    Plan {
        digits: (10, 12),
        lead: trunk,
        shapes: &[
            &[3, 7],
            &[3, 8],
            &[4, 6],
            &[4, 7],
            &[4, 8],
            &[5, 5],
            &[5, 6],
        ],
        score: 0.6,
    },
    // France
    Plan {
        digits: (10, 10),
        lead: trunk,
        shapes: &[&[2, 2, 2, 2, 2]],
        score: 0.6,
    },
    // Netherlands
    Plan {
        digits: (10, 10),
        lead: trunk,
        shapes: &[&[2, 8], &[3, 7], &[3, 3, 4], &[4, 6]],
        score: 0.6,
    },
    // Italy (landline)
    Plan {
        digits: (9, 11),
        lead: trunk,
        shapes: &[&[2, 4, 4], &[2, 8], &[3, 7], &[2, 4, 3]],
        score: 0.6,
    },
    // Italy (mobile)
    Plan {
        digits: (10, 10),
        lead: |d| d[0] == 3 && d[1] != 0,
        shapes: &[&[3, 3, 4], &[3, 7], &[3, 4, 3]],
        score: 0.5,
    },
    // Spain
    Plan {
        digits: (9, 9),
        lead: |d| matches!(d[0], 6..=9) && d[1] != 0,
        shapes: &[&[3, 2, 2, 2], &[2, 3, 2, 2]],
        score: 0.6,
    },
    // Spain (landlines, `91 587 2200`)
    Plan {
        digits: (9, 9),
        lead: |d| matches!(d[0], 8 | 9) && d[1] != 0,
        shapes: &[&[2, 3, 4]],
        score: 0.5,
    },
    // Spain (thousands-like grouping)
    Plan {
        digits: (9, 9),
        lead: |d| matches!(d[0], 6 | 7 | 9) && d[1] != 0,
        shapes: &[&[3, 3, 3]],
        score: 0.4,
    },
    // India (mobile)
    Plan {
        digits: (10, 10),
        lead: |d| matches!(d[0], 6..=9),
        shapes: &[&[5, 5]],
        score: 0.5,
    },
    // India (landline, mobile with 0)
    Plan {
        digits: (11, 11),
        lead: trunk,
        shapes: &[&[3, 4, 4], &[4, 7], &[3, 8], &[6, 5]],
        score: 0.6,
    },
    // Australia
    Plan {
        digits: (10, 10),
        lead: |d| d[0] == 0 && matches!(d[1], 2 | 3 | 4 | 7 | 8),
        shapes: &[&[4, 3, 3], &[2, 4, 4]],
        score: 0.6,
    },
    // Japan
    Plan {
        digits: (10, 11),
        lead: trunk,
        shapes: &[&[3, 4, 4], &[2, 4, 4], &[3, 3, 4]],
        score: 0.6,
    },
    // Japan (toll free, 4-digit areas)
    Plan {
        digits: (10, 10),
        lead: |d| d[..2] == [0, 1] || d[..3] == [0, 8, 0],
        shapes: &[&[4, 3, 3], &[4, 2, 4]],
        score: 0.6,
    },
    // Brazil (mobile)
    Plan {
        digits: (11, 11),
        lead: |d| d[0] != 0 && d[1] != 0 && d[2] == 9,
        shapes: &[&[2, 5, 4]],
        score: 0.5,
    },
    // Brazil (landline)
    Plan {
        digits: (10, 10),
        lead: |d| d[0] != 0 && d[1] != 0 && matches!(d[2], 2..=5),
        shapes: &[&[2, 4, 4]],
        score: 0.4,
    },
    // Mexico
    Plan {
        digits: (10, 10),
        lead: |d| matches!((d[0], d[1]), (5, 5) | (5, 6) | (3, 3) | (8, 1)),
        shapes: &[&[2, 4, 4]],
        score: 0.5,
    },
];

/// Score of trunk-prefixed or bracketed numbers.
const MARKED: f32 = 0.6;
/// Score of two-digit groups in ascending order (see [`ascending_pairs`]).
const LIST: f32 = 0.4;
/// Score of bare trunk-prefixed digits (`07700900123`).
const BARE: f32 = 0.3;
const MAX_GROUPS: usize = 6;
const MAX_DIGITS: usize = 13;

/// A run of digit groups as written.
struct Run {
    end: usize,
    paren: bool,
    groups: [u8; MAX_GROUPS],
    /// Separator after each group but the last (`0` for none, after a bracket).
    seps: [u8; MAX_GROUPS],
    /// Byte offset where each group ends.
    ends: [usize; MAX_GROUPS],
    n: usize,
}

/// National-format phone numbers in `text` starting at positions in `window` (its byte
/// offset `offset`): `(span, score)` each, in text order.
pub(crate) fn find(
    text: &str,
    offset: usize,
    window: &str,
    mut f: impl FnMut(std::ops::Range<usize>, f32),
) {
    let b = text.as_bytes();
    let mut i = offset;
    let end = offset + window.len();
    while i < end {
        let c = b[i];
        let starts = (c.is_ascii_digit()
            || (c == b'(' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            && free_start(b, i);
        if !starts {
            i += 1;
            continue;
        }
        match parse(b, i) {
            Some(run) => {
                if let Some((stop, score)) = judge(b, i, &run) {
                    f(i..stop, score);
                }
                i = run.end.max(i + 1);
            }
            None => {
                // Skip the rest of this run of digits.
                i += 1;
                while i < end && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
        }
    }
}

/// Nothing glued before `i`: no word byte, no `+`, no digit or letter joined by `-./,`.
fn free_start(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = b[i - 1];
    if super::is_word_byte(p) || p == b'+' || p == b'#' || p == b'$' {
        return false;
    }
    !(matches!(p, b'-' | b'.' | b',' | b'/' | b':') && i > 1 && super::is_word_byte(b[i - 2]))
}

fn parse(b: &[u8], start: usize) -> Option<Run> {
    let mut run = Run {
        end: start,
        paren: false,
        groups: [0; MAX_GROUPS],
        seps: [0; MAX_GROUPS],
        ends: [0; MAX_GROUPS],
        n: 0,
    };
    let digits_at = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = start;
    if b[i] == b'(' {
        let n = digits_at(i + 1);
        if !(2..=5).contains(&n) || b.get(i + 1 + n) != Some(&b')') {
            return None;
        }
        run.paren = true;
        run.groups[0] = n as u8;
        i += n + 2;
        run.ends[0] = i;
        run.n = 1;
        let sep = if b.get(i) == Some(&b' ') { b' ' } else { 0 };
        if sep == b' ' {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        run.seps[0] = sep;
    }
    loop {
        let n = digits_at(i);
        if n == 0 || run.n == MAX_GROUPS || n > MAX_DIGITS {
            return None;
        }
        run.groups[run.n] = n as u8;
        i += n;
        run.ends[run.n] = i;
        run.n += 1;
        match b.get(i) {
            Some(&s @ (b' ' | b'-' | b'.' | b'/'))
                if b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                run.seps[run.n - 1] = s;
                i += 1;
            }
            _ => break,
        }
    }
    // Not glued to a word after it, directly or by a joiner (`020-7946-0958-X`).
    let joined = |c: u8| {
        matches!(c, b'-' | b'.' | b'/' | b'_')
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    };
    if b.get(i)
        .is_some_and(|&c| super::is_word_byte(c) || joined(c))
    {
        return None;
    }
    run.end = i;
    Some(run)
}

/// The end and score of the longest prefix of `run` that a plan accepts: the whole run, or
/// the groups before a space when what follows is another kind of number (`0412 345 678
/// 24/7`; not `06 12 34 56 78 9`, one longer number).
fn judge(b: &[u8], start: usize, run: &Run) -> Option<(usize, f32)> {
    for k in (1..=run.n).rev() {
        if k < run.n
            && (run.seps[k - 1] != b' ' || run.seps[k..run.n - 1].iter().all(|&s| s == b' '))
        {
            continue;
        }
        if let Some(score) = accept(b, start, run, k) {
            return Some((run.ends[k - 1], score));
        }
    }
    None
}

/// The score of the first `k` groups of `run` as a national number, if a plan accepts them.
fn accept(b: &[u8], start: usize, run: &Run, k: usize) -> Option<f32> {
    let groups = &run.groups[..k];
    // Separators: all the same after the first group; the first may also be a space or `/`
    // (or nothing after a bracket); `/` nowhere else.
    let seps = &run.seps[..k - 1];
    if let Some((&first, rest)) = seps.split_first() {
        if rest.iter().any(|&s| s != rest[0] || s == b'/') {
            return None;
        }
        if let Some(&r) = rest.first() {
            let ok = first == r || first == b' ' || first == b'/' || (run.paren && first == 0);
            if !ok {
                return None;
            }
        }
    }
    let mut digits = [0u8; MAX_DIGITS];
    let mut n = 0;
    for &c in &b[start..run.ends[k - 1]] {
        if c.is_ascii_digit() {
            if n == MAX_DIGITS {
                return None;
            }
            digits[n] = c - b'0';
            n += 1;
        }
    }
    let digits = &digits[..n];
    if n < 9 || digits.iter().all(|&d| d == digits[0]) {
        return None;
    }
    let trunk = digits[0] == 0;
    if k == 1 {
        // Bare digits: only with a trunk `0`, and weak.
        let ok = trunk
            && PLANS
                .iter()
                .any(|p| (p.digits.0..=p.digits.1).contains(&n) && (p.lead)(digits));
        return ok.then_some(BARE);
    }
    let mut best: Option<f32> = None;
    for p in PLANS {
        if (p.digits.0..=p.digits.1).contains(&n) && (p.lead)(digits) && p.shapes.contains(&groups)
        {
            let score = if trunk || run.paren {
                p.score.max(MARKED)
            } else {
                p.score
            };
            best = Some(best.map_or(score, |b| b.max(score)));
        }
    }
    let score = best?;
    Some(if ascending_pairs(groups, digits) {
        score.min(LIST)
    } else {
        score
    })
}

/// Two-digit groups in strictly ascending order, none over 70 (`06 12 34 45 49`): as likely a
/// lottery draw (five numbers out of 69 or 70) as a French number. `06 12 34 56 78` is a
/// phone number.
fn ascending_pairs(groups: &[u8], digits: &[u8]) -> bool {
    if groups.iter().any(|&g| g != 2) {
        return false;
    }
    let mut last = 0;
    let mut k = 0;
    while k + 1 < digits.len() {
        let pair = digits[k] * 10 + digits[k + 1];
        if (k > 0 && pair <= last) || pair > 70 {
            return false;
        }
        last = pair;
        k += 2;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::PLANS;

    #[test]
    fn plans_are_consistent() {
        for (i, p) in PLANS.iter().enumerate() {
            assert!(p.digits.0 >= 9 && p.digits.0 <= p.digits.1, "plan {i}");
            for s in p.shapes {
                let total: usize = s.iter().map(|&g| usize::from(g)).sum();
                assert!(
                    (p.digits.0..=p.digits.1).contains(&total),
                    "plan {i}: shape {s:?} has {total} digits"
                );
            }
        }
    }
}
