package dev.recloser.redis;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.ListenerRegistration;
import dev.recloser.core.StateTransition;
import dev.recloser.core.StateTransition.Reason;
import dev.recloser.core.fleet.FleetControl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The fleet's logic for one member.
 *
 * <p>Implementation notes. Every piece of mutable state here except the counters and
 * {@link #connected} is confined to the one fleet thread ({@link #exec}): breaker listeners,
 * registry callbacks, Lettuce results (delivered on Netty event loops) and timers all hand their
 * work to it with {@code execute}/{@code publishOn}. So the agent needs no locks and no CAS; the
 * lock-free part is the breaker's {@link FleetControl}, which the core race tests cover. Nothing
 * here ever runs on a caller's thread but that hand-off, and no exception reaches a breaker: each
 * task catches and logs.
 */
final class FleetAgent {

    private static final Logger LOG = LoggerFactory.getLogger("dev.recloser.redis.Fleet");

    final RedisFleet.Settings settings;
    private final RedisClient client;
    private final RedisURI uri;
    private final boolean ownsClient;
    private final ClientResources resources;
    private final ScheduledThreadPoolExecutor exec;
    private final Scheduler scheduler;
    private final String prefix;
    private final String channel;
    private final String memberKey;
    private final String membersKey;
    private final long commandTimeoutMs;

    private final LongAdder published = new LongAdder();
    private final LongAdder followed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder leasesWon = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();

    volatile boolean connected;
    private volatile int members;
    private volatile boolean closed;

    // Fleet thread only.
    private final Map<String, Tracked> tracked = new HashMap<>();
    private StatefulRedisConnection<String, String> commands;
    private StatefulRedisPubSubConnection<String, String> pubsub;
    private boolean connecting;
    private boolean heartbeatInFlight;
    private long storeOffsetMs;
    private Disposable messages;
    private ScheduledFuture<?> heartbeatTask;

    /** A joined breaker, as the fleet thread sees it. */
    private static final class Tracked {
        final CircuitBreaker breaker;
        final ListenerRegistration registration;
        /** The newest verdict epoch applied or seen here. */
        long epoch;
        /** Whether the breaker is open by a fleet verdict (its deadline is the shared one). */
        boolean fleetOpen;
        ScheduledFuture<?> leaseTimer;

        Tracked(CircuitBreaker breaker, ListenerRegistration registration) {
            this.breaker = breaker;
            this.registration = registration;
        }
    }

    FleetAgent(RedisFleet.Settings settings, RedisClient client, RedisURI uri, boolean ownsClient,
               ClientResources resources) {
        this.settings = settings;
        this.client = client;
        this.uri = uri;
        this.ownsClient = ownsClient;
        this.resources = resources;
        this.exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "recloser-fleet-" + settings.instanceId);
            t.setDaemon(true);
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = Schedulers.fromExecutorService(exec, "recloser-fleet");
        this.prefix = "rcl:{" + settings.namespace + "}:";
        this.channel = prefix + "verdicts";
        this.memberKey = prefix + "m:" + settings.instanceId;
        this.membersKey = prefix + "members";
        this.commandTimeoutMs = Math.max(5, settings.heartbeat.toMillis() / 2);
        long hb = settings.heartbeat.toMillis();
        run(this::connect);
        this.heartbeatTask = exec.scheduleWithFixedDelay(() -> guarded(this::heartbeat), hb, hb, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- hand-off

    /** Runs {@code task} on the fleet thread; after close, drops it. Never throws. */
    private void run(Runnable task) {
        if (closed) {
            return;
        }
        try {
            exec.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // closing: the event is dropped, the breaker goes on locally
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            LOG.warn("fleet task failed; the breakers go on locally", t);
        }
    }

    // ---------------------------------------------------------------- membership of breakers

    ListenerRegistration join(CircuitBreakerRegistry registry) {
        return registry.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
            @Override
            public void onAdded(CircuitBreaker breaker) {
                track(breaker);
            }

            @Override
            public void onRemoved(CircuitBreaker breaker) {
                run(() -> {
                    Tracked t = tracked.get(breaker.name());
                    if (t != null && t.breaker == breaker) {
                        tracked.remove(breaker.name());
                        t.registration.remove();
                        cancelLease(t);
                    }
                });
            }
        }, true);
    }

    private void track(CircuitBreaker breaker) {
        ListenerRegistration reg = FleetControl.of(breaker).addTransitionListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                if (t.reason() != Reason.FLEET) { // our own verdicts are never republished
                    run(() -> onLocalTransition(t));
                }
            }
        });
        run(() -> {
            Tracked previous = tracked.put(breaker.name(), new Tracked(breaker, reg));
            if (previous != null && previous.breaker != breaker) {
                previous.registration.remove();
                cancelLease(previous);
            }
            if (connected) {
                reconcile(breaker.name());
            }
        });
    }

    // ---------------------------------------------------------------- connection and heartbeat

    private void connect() {
        if (closed || connecting || (commands != null && pubsub != null)) {
            return;
        }
        connecting = true;
        Mono<StatefulRedisConnection<String, String>> cmd = commands != null ? Mono.just(commands)
                : Mono.fromFuture(() -> client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture());
        Mono<StatefulRedisPubSubConnection<String, String>> sub = pubsub != null ? Mono.just(pubsub)
                : Mono.fromFuture(() -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture());
        // Each connection is kept as soon as it is up, so a half-failed attempt retries only the other.
        Mono<Boolean> both = Mono.zip(
                cmd.publishOn(scheduler).doOnNext(c -> {
                    if (closed) {
                        c.closeAsync();
                    } else {
                        commands = c;
                    }
                }),
                sub.publishOn(scheduler).doOnNext(this::subscribed))
                .map(x -> true);
        both.timeout(connectTimeout(), scheduler)
                .publishOn(scheduler)
                .subscribe(ok -> {
                    connecting = false;
                    heartbeat();
                }, e -> {
                    connecting = false;
                    storeErrors.increment();
                    LOG.debug("fleet store not reachable yet ({}); local-only, retrying at the next heartbeat", e.toString());
                });
    }

    Duration connectTimeout() {
        return settings.heartbeat.compareTo(Duration.ofSeconds(1)) > 0 ? settings.heartbeat.multipliedBy(2) : Duration.ofSeconds(2);
    }

    private void subscribed(StatefulRedisPubSubConnection<String, String> c) {
        if (closed) {
            c.closeAsync();
            return;
        }
        if (pubsub == null) {
            pubsub = c;
            messages = c.reactive().observeChannels()
                    .subscribe(m -> onMessage(m.getMessage()), e -> LOG.debug("fleet channel ended", e));
            c.reactive().subscribe(channel).subscribe(null, e -> storeErrors.increment());
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        if (commands == null || pubsub == null) {
            lost("not connected");
            connect();
            return;
        }
        if (heartbeatInFlight) {
            return;
        }
        heartbeatInFlight = true;
        long sentMs = settings.wallClock.millis();
        eval(Scripts.HEARTBEAT, new String[] {memberKey, membersKey},
                settings.instanceId, Long.toString(settings.memberTtl.toMillis()))
                .subscribe(r -> {
                    heartbeatInFlight = false;
                    long nowMs = settings.wallClock.millis();
                    storeOffsetMs = num(r, 0) - (sentMs + nowMs) / 2;
                    members = (int) num(r, 1);
                    if (!pubsub.isOpen()) {
                        lost("pub/sub connection closed");
                        return;
                    }
                    if (!connected) {
                        connected = true;
                        LOG.info("fleet '{}': connected as '{}', {} live member(s); reconciling", settings.namespace,
                                settings.instanceId, members);
                        reconcileAll();
                    }
                }, e -> {
                    heartbeatInFlight = false;
                    lost(e.toString());
                });
    }

    private void lost(String why) {
        if (connected) {
            connected = false;
            LOG.warn("fleet '{}': store unreachable ({}); every breaker decides locally until it is back",
                    settings.namespace, why);
            for (Tracked t : tracked.values()) {
                // No lease without the store: each breaker probes for itself at its deadline, and
                // what it decides meanwhile is its own (reconcile votes for it if still open).
                cancelLease(t);
                t.fleetOpen = false;
                // The store may come back empty (a restart without persistence) and count epochs from
                // 1 again. Forgetting ours is safe: a persisted OPEN verdict re-applied only aligns
                // the deadline, and a CLOSE applies only to a breaker following a fleet open.
                t.epoch = 0;
            }
        }
    }

    /** Runs a script; its result arrives on the fleet thread, bounded by the command timeout. */
    private Mono<List<Object>> eval(String script, String[] keys, String... args) {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            return Mono.error(new IllegalStateException("not connected"));
        }
        Flux<Object> f = c.reactive().eval(script, ScriptOutputType.MULTI, keys, args);
        return f.collectList()
                .map(FleetAgent::flatten)
                .timeout(Duration.ofMillis(commandTimeoutMs), scheduler)
                .doOnError(e -> storeErrors.increment())
                .publishOn(scheduler);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> flatten(List<Object> list) {
        if (list.size() == 1 && list.get(0) instanceof List<?> inner) {
            return (List<Object>) inner;
        }
        return list;
    }

    private static long num(List<Object> r, int i) {
        Object o = r.get(i);
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
    }

    private long storeNowMs() {
        return settings.wallClock.millis() + storeOffsetMs;
    }

    private String key(String breaker, String what) {
        return prefix + "b:" + breaker + ":" + what;
    }

    // ---------------------------------------------------------------- local transitions

    private void onLocalTransition(StateTransition t) {
        Tracked tr = tracked.get(t.breakerName());
        if (tr == null || tr.breaker != t.breaker() || !connected) {
            return; // not joined, or local-only: reconcile re-votes for breakers still open
        }
        boolean fromProbe = t.from() == CircuitBreaker.State.HALF_OPEN;
        if (t.to() == CircuitBreaker.State.OPEN && isTrip(t.reason())) {
            if (fromProbe && tr.fleetOpen) {
                probeVerdict(tr, t, true);
            } else {
                vote(tr, t.metrics().remainingOpenDuration(), t);
            }
        } else if (t.to() == CircuitBreaker.State.CLOSED && t.reason() == Reason.TRIALS_SUCCEEDED && tr.fleetOpen) {
            probeVerdict(tr, t, false);
        } else if (t.to() == CircuitBreaker.State.CLOSED) {
            tr.fleetOpen = false;
            cancelLease(tr);
        }
    }

    private static boolean isTrip(Reason r) {
        return r == Reason.FAILURE_RATE || r == Reason.SLOW_CALL_RATE || r == Reason.CONSECUTIVE_FAILURES
                || r == Reason.TRIAL_FAILED || r == Reason.TRIALS_TIMED_OUT;
    }

    private static String rate(StateTransition t, boolean slow) {
        var m = t == null ? null : t.metrics();
        if (m == null) {
            return "-1";
        }
        var rate = slow ? m.slowCallRate() : m.failureRate();
        return rate.isPresent() ? String.format(Locale.ROOT, "%.2f", rate.getAsDouble()) : "-1";
    }

    private void vote(Tracked tr, Duration remaining, StateTransition t) {
        long remainingMs = Math.max(1, remaining.toMillis());
        String name = tr.breaker.name();
        long waitMs = Math.max(remainingMs, tr.breaker.config().waitDurationInOpenState().toMillis());
        eval(Scripts.VOTE, new String[] {key(name, "votes"), key(name, "verdict"), membersKey, key(name, "epoch")},
                settings.instanceId, Long.toString(remainingMs), Long.toString(waitMs),
                Integer.toString(settings.quorumInstances), Double.toString(settings.quorumFraction),
                Long.toString(settings.memberTtl.toMillis()), channel,
                t == null ? "RECONCILE" : t.reason().name(), rate(t, false), rate(t, true), name,
                Long.toString(settings.verdictRetention.toMillis()))
                .subscribe(r -> {
                    long code = num(r, 0);
                    if (code == 1) {
                        published.increment();
                        LOG.warn("fleet '{}': breaker '{}' quorum reached, OPEN verdict #{} published for the fleet "
                                + "until store time {}", settings.namespace, name, num(r, 1), num(r, 2));
                        onMessage((String) r.get(4));
                    } else if (code == 2) {
                        onMessage((String) r.get(4)); // a verdict runs already: follow it
                    } else {
                        LOG.info("fleet '{}': breaker '{}' tripped here; {} of {} vote(s) for a fleet verdict",
                                settings.namespace, name, num(r, 1), num(r, 2));
                    }
                }, e -> LOG.debug("fleet vote for '{}' failed: {}", name, e.toString()));
    }

    private void probeVerdict(Tracked tr, StateTransition t, boolean open) {
        String name = tr.breaker.name();
        long remainingMs = Math.max(1, t.metrics().remainingOpenDuration().toMillis());
        eval(Scripts.PROBE_VERDICT, new String[] {key(name, "lease"), key(name, "verdict"), key(name, "epoch"), key(name, "votes")},
                settings.instanceId, open ? "OPEN" : "CLOSED", Long.toString(remainingMs), channel,
                t.reason().name(), rate(t, false), rate(t, true), name, Long.toString(settings.verdictRetention.toMillis()))
                .subscribe(r -> {
                    if (num(r, 0) == 1) {
                        published.increment();
                        LOG.info("fleet '{}': breaker '{}' probe verdict #{} published: {}", settings.namespace, name,
                                num(r, 1), open ? "OPEN again" : "CLOSED");
                        onMessage((String) r.get(4));
                    } else if (open) {
                        tr.fleetOpen = false;
                        vote(tr, t.metrics().remainingOpenDuration(), t); // lease gone: an ordinary vote
                    } else {
                        tr.fleetOpen = false;
                    }
                }, e -> LOG.debug("fleet probe verdict for '{}' failed: {}", name, e.toString()));
    }

    // ---------------------------------------------------------------- remote verdicts

    /** A message from the channel or a verdict key; any thread. Never throws. */
    void onMessage(String message) {
        Verdict.Parsed p;
        try {
            p = Verdict.parse(message, settings.maxMessageBytes);
        } catch (RuntimeException e) {
            p = new Verdict.Parsed(null, Verdict.Drop.MALFORMED);
        }
        if (p.verdict() == null) {
            dropped.increment();
            LOG.debug("fleet '{}': message dropped ({})", settings.namespace, p.drop());
            return;
        }
        Verdict v = p.verdict();
        run(() -> apply(v));
    }

    private void apply(Verdict v) {
        Tracked tr = tracked.get(v.breaker());
        boolean remote = !v.instance().equals(settings.instanceId);
        if (tr == null || !connected) {
            if (remote) {
                ignored.increment(); // a breaker this instance does not have, or local-only now
            }
            return;
        }
        if (v.epoch() <= tr.epoch) {
            return; // seen already (the channel and a script result or a reconcile both bring it)
        }
        tr.epoch = v.epoch();
        FleetControl control = FleetControl.of(tr.breaker);
        if (v.open()) {
            long remainingMs = v.untilMs() - storeNowMs();
            if (remainingMs <= 0) {
                if (remote) {
                    ignored.increment();
                }
                return;
            }
            if (control.openByFleet(Duration.ofMillis(remainingMs))) {
                tr.fleetOpen = true;
                if (remote) {
                    followed.increment();
                    LOG.warn("fleet '{}': breaker '{}' OPEN by fleet verdict #{} from '{}' ({}), for {} ms",
                            settings.namespace, v.breaker(), v.epoch(), v.instance(), v.reason(), remainingMs);
                }
                scheduleLease(tr, remainingMs);
            } else if (remote) {
                ignored.increment();
            }
        } else {
            cancelLease(tr);
            boolean wasFollowing = tr.fleetOpen;
            tr.fleetOpen = false;
            if (wasFollowing && control.closeByFleet()) {
                if (remote) {
                    followed.increment();
                    LOG.info("fleet '{}': breaker '{}' CLOSED by the probe verdict #{} of '{}'",
                            settings.namespace, v.breaker(), v.epoch(), v.instance());
                }
            } else if (remote) {
                ignored.increment();
            }
        }
    }

    // ---------------------------------------------------------------- probe lease

    /** A little before the deadline, so that the losers are held before they would probe. */
    private long leadMs(long remainingMs) {
        return Math.min(remainingMs / 2, Math.max(1, commandTimeoutMs));
    }

    private void scheduleLease(Tracked tr, long remainingMs) {
        cancelLease(tr);
        long delay = Math.max(0, remainingMs - leadMs(remainingMs));
        tr.leaseTimer = exec.schedule(() -> guarded(() -> tryLease(tr)), delay, TimeUnit.MILLISECONDS);
    }

    private static void cancelLease(Tracked tr) {
        if (tr.leaseTimer != null) {
            tr.leaseTimer.cancel(false);
            tr.leaseTimer = null;
        }
    }

    private void tryLease(Tracked tr) {
        tr.leaseTimer = null;
        if (!connected || !tr.fleetOpen || tracked.get(tr.breaker.name()) != tr) {
            return; // local-only: the breaker probes for itself at its deadline
        }
        String name = tr.breaker.name();
        long leaseMs = settings.leaseDuration.toMillis();
        eval(Scripts.LEASE, new String[] {key(name, "lease")}, settings.instanceId, Long.toString(leaseMs))
                .subscribe(r -> {
                    if (!tr.fleetOpen) {
                        return;
                    }
                    long pttl = num(r, 1);
                    if (num(r, 0) == 1) {
                        leasesWon.increment();
                        LOG.info("fleet '{}': breaker '{}' won the probe lease for {} ms; probing for the fleet",
                                settings.namespace, name, pttl);
                    } else {
                        leasesLost.increment();
                        // Held a margin past the lease's expiry, and the next attempt right at it: a
                        // member that takes over wins the lease before its own breaker would probe.
                        long margin = Math.max(1, commandTimeoutMs);
                        long left = Math.max(0, pttl);
                        FleetControl.of(tr.breaker).holdOpen(Duration.ofMillis(left + margin));
                        LOG.debug("fleet '{}': breaker '{}' probe lease held elsewhere for {} ms", settings.namespace, name, left);
                        cancelLease(tr);
                        tr.leaseTimer = exec.schedule(() -> guarded(() -> tryLease(tr)), left + 1, TimeUnit.MILLISECONDS);
                    }
                }, e -> LOG.debug("fleet lease for '{}' failed: {}", name, e.toString()));
    }

    // ---------------------------------------------------------------- reconcile

    private void reconcileAll() {
        for (String name : tracked.keySet()) {
            reconcile(name);
        }
    }

    private void reconcile(String name) {
        eval("local v = redis.call('GET', KEYS[1])\nif v then return {1, v} end\nreturn {0}\n",
                new String[] {key(name, "verdict")})
                .subscribe(r -> {
                    Tracked tr = tracked.get(name);
                    if (tr == null) {
                        return;
                    }
                    if (num(r, 0) == 1) {
                        onMessage((String) r.get(1));
                    }
                    // A breaker that tripped here while the store was away has not voted: vote now.
                    if (tr.breaker.state() == CircuitBreaker.State.OPEN && !tr.fleetOpen) {
                        Duration left = tr.breaker.remainingOpenDuration();
                        if (!left.isZero()) {
                            vote(tr, left, null);
                        }
                    }
                }, e -> LOG.debug("fleet reconcile of '{}' failed: {}", name, e.toString()));
    }

    // ---------------------------------------------------------------- stats and close

    FleetStats stats() {
        return new FleetStats(connected, members, published.sum(), followed.sum(), ignored.sum(),
                leasesWon.sum(), leasesLost.sum(), dropped.sum(), storeErrors.sum());
    }

    void close() {
        if (closed) {
            return;
        }
        Mono<Void> leave = Mono.<Void>fromRunnable(() -> { })
                .subscribeOn(scheduler)
                .then(Mono.defer(() -> commands == null || !connected ? Mono.<Void>empty()
                        : eval(Scripts.LEAVE, new String[] {memberKey, membersKey}, settings.instanceId).then()))
                .onErrorResume(e -> Mono.empty());
        // Best effort, bounded: the member's key expires by itself anyway.
        Consumer<Object> shutdown = ignoredValue -> shutdown();
        leave.timeout(settings.heartbeat, Schedulers.parallel())
                .onErrorResume(e -> Mono.empty())
                .doFinally(s -> shutdown.accept(null))
                .subscribe();
        closed = true;
    }

    private void shutdown() {
        exec.execute(() -> {
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
            }
            for (Tracked t : tracked.values()) {
                t.registration.remove();
                cancelLease(t);
            }
            tracked.clear();
            if (messages != null) {
                messages.dispose();
            }
            connected = false;
            if (!ownsClient) {
                if (commands != null) {
                    commands.closeAsync();
                }
                if (pubsub != null) {
                    pubsub.closeAsync();
                }
            } else {
                client.shutdownAsync(0, 200, TimeUnit.MILLISECONDS)
                        .whenComplete((v, e) -> {
                            if (resources != null) {
                                resources.shutdown(0, 200, TimeUnit.MILLISECONDS);
                            }
                        });
            }
            exec.shutdown();
        });
    }
}
