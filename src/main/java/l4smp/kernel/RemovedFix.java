package l4smp.kernel;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fault injection: a fix of the thesis that a kernel configuration leaves out, exactly as a bug
 * configuration of a spec does (DESIGN.md, "Fault-injection switches"). Each constant names the fix
 * it removes, cites the section that makes it, and names the spec constant whose bug configuration it
 * mirrors. Every fix is in by default; {@link KernelConfig#removed} asks whether one is out, and each
 * fix site has one branch on it.
 *
 * <p>Not every bug configuration has a switch yet: the kernel has no path for XpIpc's
 * {@code Variant = "Direct"} (the sender acting on a remote receiver from its own CPU, and
 * UhligRace's Naive variants with it), and XpMigration's {@code LockTarget} has none: the kernel's
 * XP send path reads the receiver's CPU and triggers the mailbox in one atomic step, so race 2's
 * window, which the lock closes, does not exist to be opened by a branch (it would take a step cut
 * in two); docs/refine.md, "Fault-injection switches".
 */
public enum RemovedFix {
    /**
     * §8.4.1 wakeup_sender, "from TCB.proxy = NULL": the proxy leaves the sender's proxy pointer set
     * when it wakes the sender. XpIpc {@code RemovedFix = "ClearProxyPointer"}
     * (XpIpcStaleProxyPointer.cfg: harmless with one proxy per CPU pair).
     */
    CLEAR_PROXY_POINTER("ClearProxyPointer"),
    /**
     * §8.4 "the proxy [...] polling": the proxy waits for its receiver in {@code waiting} instead of
     * {@code polling}, so the receiver's check "send proxy is not polling" does not find it. XpIpc
     * {@code RemovedFix = "ProxyPolls"} (XpIpcWaitingProxy.cfg).
     */
    PROXY_POLLS("ProxyPolls"),
    /**
     * §8.3.5 receive path, "send proxy = from TCB.proxy" read once into a temporary: each check reads
     * the sender's proxy pointer again. ProxyWakeup {@code TempProxyCopy = FALSE}
     * (ProxyWakeupNoTempCopy.cfg, NoDanglingProxyInv).
     */
    TEMP_PROXY_COPY("TempProxyCopy"),
    /**
     * The receive path's check that the polling proxy works on this sender's request (a finding, not
     * in the thesis; docs/specs.md): only "polling for B" is checked. ProxyWakeup
     * {@code CheckProxySender = FALSE} (ProxyWakeupNoSenderCheck.cfg, ActivatedPairInv).
     */
    PROXY_SENDER_CHECK("CheckProxySender"),
    /**
     * §8.3.4 "if not yet acknowledged then sendIPI()": every trigger sends an IPI. ProxyWakeup
     * {@code IpiOnlyIfUnacked = FALSE} (ProxyWakeupThreeIpisEoiOnly.cfg, a finding: even with the EOI
     * first, two CPUs can each stall sending a third IPI to the other, a deadlock).
     */
    IPI_ONLY_IF_UNACKED("IpiOnlyIfUnacked"),
    /**
     * §8.3.5 send path, "from TCB.timeout = NEVER": the XP sender waits for its proxy without a
     * timeout of its own; the proxy applies the send timeout on the receiver's CPU. Without it the
     * sender waits in its CPU's wakeup queue with its send timeout, and its timer ends the IPC with
     * send_timeout while the proxy may still deliver the message. XpIpc
     * {@code RemovedFix = "SenderTimeoutNever"} (XpIpcSenderTimeout.cfg, SendResultInv).
     */
    SENDER_TIMEOUT_NEVER("SenderTimeoutNever"),
    /**
     * §8.3.4 the IPI handler's "EOI(); check n ack(); iret": the EOI comes first. Without it the
     * handler sends EOI only when the operations its check_n_ack linked are done (the request's
     * proxy woke its sender, the sender's XP_RETURN freed the reply), so the IPI holds its APIC slot
     * meanwhile and a third IPI to the CPU stalls its sender with interrupts disabled (§8.3.3).
     * ProxyWakeup {@code EoiFirst = FALSE} (ProxyWakeupLateEoi.cfg, ProxyWakeupLateEoiAcked.cfg:
     * deadlocks).
     */
    EOI_FIRST("EoiFirst"),
    /**
     * §8.7.2 barrier (=1): A exchanges t1's scheduling parameters only once B is in the kernel.
     * MigrationBarriers {@code WithBarrier1 = FALSE} (MigrationBarriersNoBarrier1.cfg,
     * RunsAtItsPriorityInv).
     */
    BARRIER_1("WithBarrier1"),
    /**
     * §8.7.2 barrier (=2), B's side: C inserts t1 only after B deleted it from its ready list.
     * MigrationBarriers {@code WithBarrier2 = FALSE} (MigrationBarriersNoBarrier2.cfg,
     * NoLostOrDanglingLinksInv).
     */
    BARRIER_2("WithBarrier2"),
    /**
     * §8.7.2 barrier (=2), A's side: C inserts t1 only after A wrote its parameters.
     * MigrationBarriers {@code WithBarrier2A = FALSE} (MigrationBarriersNoBarrier2A.cfg).
     */
    BARRIER_2A("WithBarrier2A"),
    /**
     * §8.7.2 barrier (~3): C returns (and may run t1) only after B set t1's new processor number.
     * MigrationBarriers {@code WithBarrier3 = FALSE} (MigrationBarriersNoBarrier3.cfg, CurrentInv).
     */
    BARRIER_3("WithBarrier3"),
    /**
     * §8.4.3, §8.5 the "do not migrate" lock of t1, taken by thread_schedule before it reads t1's CPU
     * (a finding beyond §8.7.2's pseudo-code; docs/specs.md). MigrationBarriers
     * {@code DoNotMigrateLock = FALSE} (MigrationBarriersNoLock.cfg: deadlock).
     */
    DO_NOT_MIGRATE_LOCK("DoNotMigrateLock"),
    /**
     * The global migration lock that lets one migration run at a time (docs/specs.md, "Two
     * deadlocks in the thesis's algorithm, and their fix"; docs/decisions/0005). MigrationBarriers
     * {@code SerialiseMigrations = FALSE} (MigrationBarriersCrossing.cfg: deadlock).
     */
    MIGRATION_LOCK("SerialiseMigrations"),
    /**
     * §8.5 race 1, "we do not migrate the sender while a proxy thread handles a request for it":
     * B lets a sender go while its cross-processor send waits for its reply ({@code XP_RETURN}, the
     * reply not yet in its list), so a reply the proxy has sent to its old CPU arrives where it no
     * longer is. XpMigration {@code KeepSender = FALSE} (XpMigrationMigrateSender.cfg,
     * ReplyReachesSenderInv).
     */
    KEEP_SENDER("KeepSender"),
    /**
     * §8.5 races 2 and 3, "we check its send queue for threads whose proxies are still activated and
     * migrate those requests with the thread [...] by calling check_n_ack before": B moves a receiver
     * without the requests to it that reached its old CPU (flagged, queued at a proxy, polled for),
     * which stay there. XpMigration {@code MigrateRequests = FALSE}
     * (XpMigrationNoRequestMigration.cfg, ProxyWithReceiverInv; a request still flagged breaks
     * RequestReachesReceiverInv first).
     */
    MIGRATE_REQUESTS("MigrateRequests");

    private final String specConstant;

    RemovedFix(String specConstant) {
        this.specConstant = specConstant;
    }

    /** The spec constant (or value of {@code RemovedFix}) whose bug configuration this switch mirrors. */
    public String specConstant() {
        return specConstant;
    }

    /** The name a scenario's {@code kernel.removedFixes} uses: the constant in lower camel case ({@code barrier2}). */
    public String scenarioName() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder s = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            s.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return s.toString();
    }

    /** The switch named {@code name} in a scenario, if any. */
    public static Optional<RemovedFix> ofScenarioName(String name) {
        return Arrays.stream(values()).filter(f -> f.scenarioName().equals(name)).findFirst();
    }

    /** The switch that mirrors the spec constant (or {@code RemovedFix} value) {@code constant}, if any. */
    public static Optional<RemovedFix> ofSpecConstant(String constant) {
        return Arrays.stream(values()).filter(f -> f.specConstant.equals(constant)).findFirst();
    }

    /** {@code fixes} as an unmodifiable set in declaration order (printed the same in every run). */
    public static Set<RemovedFix> setOf(Collection<RemovedFix> fixes) {
        return fixes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(fixes));
    }

    /** Every scenario name, comma-separated: what an error about an unknown one lists. */
    public static String scenarioNames() {
        return Arrays.stream(values()).map(RemovedFix::scenarioName).collect(Collectors.joining(", "));
    }
}
