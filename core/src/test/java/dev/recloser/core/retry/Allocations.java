package dev.recloser.core.retry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * Counts the bytes the current thread allocates while running a piece of code, through
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}; the calling test is skipped on a
 * JVM without that counter. The code runs once first to warm up (class loading, linkage of VarHandles
 * and lambdas), then once measured.
 *
 * <p>Reached by reflection because the core module does not read {@code java.management} and the
 * tests are compiled into it; the few bytes the reflective calls allocate are far below the
 * thresholds tests use (a per-call allocation in a 100,000-call loop is megabytes).
 */
public final class Allocations {

    private Allocations() {
    }

    public static long measure(LongSupplier work) {
        Object bean;
        Method allocatedBytes;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            assumeTrue(sunBean.isInstance(bean), "allocation counter unavailable");
            boolean supported = (Boolean) sunBean.getMethod("isThreadAllocatedMemorySupported").invoke(bean)
                    && (Boolean) sunBean.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean);
            assumeTrue(supported, "allocation counter unavailable");
            allocatedBytes = sunBean.getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            assumeTrue(false, "allocation counter unavailable: " + e);
            return 0L;
        }
        try {
            long id = Thread.currentThread().getId();
            long sink = work.getAsLong();
            for (int i = 0; i < 100; i++) {
                sink += (Long) allocatedBytes.invoke(bean, id);
            }
            long before = (Long) allocatedBytes.invoke(bean, id);
            sink += work.getAsLong();
            long after = (Long) allocatedBytes.invoke(bean, id);
            // Keeps the result alive so the work is not optimized away.
            if (sink == 42) {
                System.out.print("");
            }
            return after - before;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
