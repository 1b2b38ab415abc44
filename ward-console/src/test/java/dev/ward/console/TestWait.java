package dev.ward.console;

import java.util.function.BooleanSupplier;

/** Waits in tests for what happens on other threads. */
final class TestWait {
    private TestWait() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
