package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.benchmarks.report.Catalog.ClassInfo;
import dev.recloser.benchmarks.report.Catalog.Family;
import dev.recloser.benchmarks.report.Catalog.Library;
import dev.recloser.benchmarks.report.Catalog.MethodInfo;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/** The catalog against the benchmark classes themselves, read by reflection. */
class CatalogTest {

    private static Set<String> benchmarkMethods(String className) throws ClassNotFoundException {
        Class<?> c = Class.forName(Fixtures.PACKAGE + className);
        return Arrays.stream(c.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class))
                .map(Method::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void everyBenchmarkMethodOfEveryCatalogedClassIsKnownAndNoEntryIsStale() throws Exception {
        for (ClassInfo info : Catalog.CLASSES) {
            Set<String> methods = benchmarkMethods(info.className());
            assertThat(methods).as(info.className()).isNotEmpty();
            Set<String> cataloged = Catalog.METHODS.stream()
                    .filter(m -> m.className().equals(info.className()))
                    .map(MethodInfo::method)
                    .collect(Collectors.toSet());
            assertThat(cataloged).as(info.className()).isEqualTo(methods);
        }
    }

    @Test
    void everyMethodEntryHasAClassEntryAndEveryClassWithRecloserRowsHasAReference() {
        Set<String> classes = Catalog.CLASSES.stream().map(ClassInfo::className).collect(Collectors.toSet());
        for (MethodInfo m : Catalog.METHODS) {
            assertThat(classes).as(m.className() + "." + m.method()).contains(m.className());
            assertThat(m.label()).as(m.method()).isNotBlank();
        }
        for (String className : classes) {
            List<MethodInfo> methods = Catalog.METHODS.stream().filter(m -> m.className().equals(className)).toList();
            // Every path a class's Recloser rows are on has a reference row for "÷ Recloser".
            methods.stream().filter(m -> m.library() == Library.RECLOSER).map(MethodInfo::path).distinct()
                    .forEach(path -> assertThat(methods).as(className + " " + path)
                            .anyMatch(m -> m.path().equals(path) && m.isRecloserReference()));
        }
    }

    @Test
    void sectionsGoCoreThenReactorThenWebClient() {
        List<Family> families = Catalog.CLASSES.stream().map(ClassInfo::family).toList();
        assertThat(families).isSortedAccordingTo(Enum::compareTo);
        assertThat(Catalog.classOrder("CoreBreakerBenchmark")).isLessThan(Catalog.classOrder("ReactorBreakerBenchmark"));
        assertThat(Catalog.classOrder("ReactorContentionBenchmark"))
                .isLessThan(Catalog.classOrder("WebClientFilterBenchmark"));
        assertThat(Catalog.classOrder("NotABenchmark")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Catalog.INTRO).contains("`ReactorBreakerBenchmark`", "`ReactorFastFailLatencyBenchmark`",
                "`ReactorContentionBenchmark`", "`WebClientFilterBenchmark`", "`WebClientFastFailBenchmark`");
    }

    @Test
    void theNewClassesClassifyTheirBaselinesAndPaths() {
        assertThat(Catalog.method("ReactorBreakerBenchmark", "fastFailBareFreshError").library())
                .isEqualTo(Library.BASELINE);
        assertThat(Catalog.method("ReactorBreakerBenchmark", "fastFailBareFreshError").path()).isEqualTo("fastFail");
        assertThat(Catalog.methodOrder("ReactorBreakerBenchmark", "monoRecloser"))
                .isLessThan(Catalog.methodOrder("ReactorBreakerBenchmark", "monoRecloserTimed"));
        assertThat(Catalog.method("ReactorBreakerBenchmark", "baselineNanoTime").library()).isEqualTo(Library.COST);
        assertThat(Catalog.method("ReactorBreakerBenchmark", "baselineNanoTime").loadProbe()).isTrue();
        assertThat(Catalog.method("ReactorBreakerBenchmark", "baselineLongAdder").path()).isEqualTo("costs");
        assertThat(Catalog.method("WebClientFilterBenchmark", "withoutFilter").library()).isEqualTo(Library.BASELINE);
        assertThat(Catalog.method("WebClientFilterBenchmark", "withFilterRetry").library()).isEqualTo(Library.RECLOSER);
        assertThat(Catalog.method("WebClientFastFailBenchmark", "bare").library()).isEqualTo(Library.BASELINE);
        assertThat(Catalog.method("ReactorContentionBenchmark", "resilience4jPerThread").library())
                .isEqualTo(Library.RESILIENCE4J);
        assertThat(Catalog.classInfo("ReactorFastFailLatencyBenchmark").family()).isEqualTo(Family.REACTOR);
        assertThat(Catalog.classInfo("Unknown").family()).isEqualTo(Family.CORE);
    }
}
