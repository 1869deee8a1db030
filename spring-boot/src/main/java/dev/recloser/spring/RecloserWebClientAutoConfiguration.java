package dev.recloser.spring;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.webclient.ResilienceFilter;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds the resilience filter ({@code recloser.webclient.*}) to every {@code WebClient.Builder}
 * Spring Boot auto-configures, on the application's {@link CircuitBreakerRegistry}, so the
 * per-host breakers show in the endpoints, the health and the meters. Off with
 * {@code recloser.webclient.enabled=false}. An application's own Recloser filter bean (one built by
 * {@link ResilienceFilter#builder()}) is registered instead of the one built from the properties.
 */
@AutoConfiguration(after = RecloserAutoConfiguration.class)
@ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
@ConditionalOnProperty(prefix = "recloser.webclient", name = "enabled", matchIfMissing = true)
public class RecloserWebClientAutoConfiguration {

    static final String FILTER_BEAN = "recloserWebClientFilter";

    /** Created by Spring. */
    public RecloserWebClientAutoConfiguration() {
    }

    /** The filter built from {@code recloser.webclient.*}. */
    @Bean(name = FILTER_BEAN)
    @ConditionalOnMissingBean(name = FILTER_BEAN)
    ExchangeFilterFunction recloserWebClientFilter(RecloserConfigurations configurations,
                                                   CircuitBreakerRegistry registry,
                                                   ObjectProvider<RetryListeners> listeners) {
        return WebClientSettings.build(configurations, registry,
                listeners.getIfAvailable(() -> RetryListeners.NONE).forName(RecloserAutoConfiguration.RetryMeters.WEBCLIENT));
    }

    /** Registers the filter on each builder. */
    @Bean
    @ConditionalOnMissingBean(name = "recloserWebClientCustomizer")
    public WebClientCustomizer recloserWebClientCustomizer(ListableBeanFactory beans) {
        return new Customizer(beans);
    }

    /**
     * Looks the filter up at the first customization (after the singletons exist): an application
     * Recloser filter bean if there is one, else {@value #FILTER_BEAN}.
     */
    static final class Customizer implements WebClientCustomizer {
        private final ListableBeanFactory beans;
        private volatile ExchangeFilterFunction filter;

        Customizer(ListableBeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public void customize(WebClient.Builder builder) {
            ExchangeFilterFunction f = filter;
            if (f == null) {
                f = choose();
                filter = f;
            }
            builder.filter(f);
        }

        private ExchangeFilterFunction choose() {
            Map<String, ExchangeFilterFunction> all = beans.getBeansOfType(ExchangeFilterFunction.class);
            for (Map.Entry<String, ExchangeFilterFunction> e : all.entrySet()) {
                boolean recloser = ResilienceFilter.breakersOf(e.getValue()).isPresent()
                        || e.getValue() instanceof WebClientSettings.RoutingFilter;
                if (recloser && !e.getKey().equals(FILTER_BEAN)) {
                    return e.getValue();
                }
            }
            return beans.getBean(FILTER_BEAN, ExchangeFilterFunction.class);
        }
    }
}
