//! Two jobs at a time (the machines this runs on have two cores), results in input order.

/// `f` over `items` on two threads (this machine's cores), results in input order. A panic
/// in `f` propagates.
pub fn two_at_a_time<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<R>>> =
        std::sync::Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(item) = items.get(j) else {
                    break;
                };
                let r = f(item);
                if let Ok(mut slots) = results.lock() {
                    slots[j] = Some(r);
                }
            });
        }
    });
    // Every slot is filled: `scope` returns only when both threads ended without a panic.
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_at_a_time_keeps_input_order() {
        let items: Vec<u64> = (0..50).collect();
        assert_eq!(
            two_at_a_time(&items, |x| x * x),
            items.iter().map(|x| x * x).collect::<Vec<_>>()
        );
        assert!(two_at_a_time(&[] as &[u8], |x| *x).is_empty());
    }
}
