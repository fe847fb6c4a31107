package dev.eventstore.bench;

/**
 * Issue 25's latency target, judged on one run: at the fixed rate, the append p99 and the index lag p99
 * (acknowledged to visible to a reader) both within their bounds in the same run.
 */
record LatencyTarget(double appendP99Millis, double lagP99Millis) {

    /** Issue 25, target 4: p99 ≤ 50 ms and index lag p99 ≤ 250 ms at 5,000 appends/s. */
    static final LatencyTarget ISSUE_25 = new LatencyTarget(50, 250);

    boolean heldBy(double appendP99, double lagP99) {
        return appendP99 <= appendP99Millis && lagP99 <= lagP99Millis;
    }
}
