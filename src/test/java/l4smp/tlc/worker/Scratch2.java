package l4smp.tlc.worker;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;

public class Scratch2 {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            String a = args[1 + (i % (args.length - 1))];
            Path spec = Path.of("src/test/resources/specs/" + a + ".tla");
            Path cfg = Path.of("src/test/resources/specs/" + a + ".cfg");
            long t = System.nanoTime();
            CheckResult r = TlcWorkerMain.runIsolated(CheckRequest.of(spec, cfg).withWorkers(1), i, pr -> {});
            times[i] = (System.nanoTime() - t) / 1_000_000;
            if (i % 10 == 9) {
                System.gc();
                long meta = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getName().equals("Metaspace")) meta = p.getUsage().getUsed();
                System.out.println(i + 1 + " runs: last=" + r.outcome() + " metaspace=" + meta / 1024 / 1024 + "MB heap=" + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024 / 1024 + "MB threads=" + Thread.activeCount());
            }
        }
        Thread.getAllStackTraces().keySet().forEach(th -> System.out.println("thread " + th.getName() + " daemon=" + th.isDaemon() + " loader=" + th.getContextClassLoader()));
        try { for (javax.management.ObjectName on : java.lang.management.ManagementFactory.getPlatformMBeanServer().queryNames(null, null)) if (!on.getDomain().startsWith("java") && !on.getDomain().startsWith("jdk") && !on.getDomain().startsWith("com.sun")) System.out.println("mbean " + on); } catch (Exception e) {}
        java.util.Arrays.sort(times);
        System.out.println("median ms " + times[n / 2] + " first " + times[0] + " max " + times[n - 1]);
        System.exit(0);
    }
}
