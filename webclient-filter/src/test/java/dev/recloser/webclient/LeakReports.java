package dev.recloser.webclient;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects Netty's LEAK reports so that a test can fail on them: a {@link ResourceLeakDetectorFactory}
 * whose detectors record each report (and still log it). Installed once per JVM by
 * {@link BlockHoundExtension}, before Netty creates its buffer leak detector.
 */
final class LeakReports {

    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    private LeakReports() {
    }

    static synchronized void install() {
        if (!installed) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
            installed = true;
        }
    }

    /**
     * The reports so far about {@code type} (Netty names a resource by its class name without the
     * package, nested classes as {@code Outer$Inner}), or all of them if null.
     */
    static List<String> reports(Class<?> type) {
        String prefix = type == null ? null : type.getName().substring(type.getName().lastIndexOf('.') + 1) + ':';
        List<String> out = new ArrayList<>();
        for (String r : REPORTS) {
            if (prefix == null || r.startsWith(prefix)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Whether Netty's buffer leak detector (the one every {@code ByteBuf} reports to) is one of
     * ours, i.e. whether the factory was installed before Netty's buffer classes were initialized.
     */
    static boolean capturesBufferLeaks() {
        try {
            Field f = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            f.setAccessible(true);
            return f.get(null) instanceof RecordingDetector;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot inspect Netty's buffer leak detector", e);
        }
    }

    /**
     * Lets the detectors report what the garbage collector found: leak tracking objects are queued
     * when their buffer is collected, and a detector reports queued ones the next time it tracks a
     * new object. Bounded: a few collections, a few allocations each.
     */
    static void collectAndPoll() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
                probe.release();
            }
        }
    }

    /** A factory of recording detectors. */
    static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // the factory's only abstract method; maxActive is ignored by Netty
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval, true);
        }
    }

    /** A detector that records every report and, if {@code log}, logs it as Netty does. */
    static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        private final boolean log;

        RecordingDetector(Class<?> resource, int samplingInterval, boolean log) {
            super(resource, samplingInterval);
            this.log = log;
        }

        @Override
        protected boolean needReport() {
            return true; // report even if the error level of Netty's logger is off
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add(resourceType + ": LEAK " + records);
            if (log) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add(resourceType + ": LEAK (untraced)");
            if (log) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
