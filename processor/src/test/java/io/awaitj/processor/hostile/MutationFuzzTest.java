package io.awaitj.processor.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import io.awaitj.processor.hostile.Hostile.Finding;
import io.awaitj.processor.hostile.Hostile.Outcome;
import io.awaitj.processor.hostile.Seeds.Seed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the processor: valid {@code @Async} programs ({@link Seeds}) are mutated one to
 * three times (tokens, statements, renamings: {@link Mutator}) and each mutant is compiled with the
 * processor on its own (so that every error belongs to it). Whatever the mutant, the processor must keep its contract ({@link
 * Hostile#judge}): javac returns, no internal error, no stack trace of the processor, no error in
 * generated code when the user's code has none, and beside errors in the user's code none but
 * {@linkplain Hostile#repeats repeats} of them. Every seed must compile on its own.
 *
 * <p>The normal suite runs {@value #COUNT} mutants of seed {@value #SEED}. The long mode:
 *
 * <pre>
 * mvn -pl processor -am test -Dtest=MutationFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dawaitj.mutation.count=5000 -Dawaitj.mutation.seed=7 [-Dawaitj.mutation.minimize=true] \
 *     [-Dawaitj.mutation.seconds=3600]
 * </pre>
 *
 * writes each failing mutant (and, with {@code minimize}, a minimal program per kind of failure) to
 * {@code target/mutation-failures/}. Every failure fails the test: a finding becomes a regression test
 * in {@link HostileRegressionTest} and is fixed.
 */
class MutationFuzzTest {
  static final long SEED = 20_250_617L;
  static final int COUNT = 600;

  /** Where failing mutants are written (relative to the module). */
  static final Path FAILURES = Path.of("target", "mutation-failures");

  /** At most this many failing mutants are written per signature. */
  static final int FILES_PER_SIGNATURE = 10;

  /**
   * The long mode without Maven, e.g. from a copy of the compiled classes while the sources change:
   * {@code java -cp <test class path> -Dawaitj.mutation.count=N ... MutationFuzzTest}, run in the
   * module's directory (for the seeds read from the tests and the output directory).
   */
  public static void main(String[] args) {
    if (System.getProperty("awaitj.mutation.count") == null) {
      System.setProperty("awaitj.mutation.count", String.valueOf(COUNT));
    }
    try {
      new MutationFuzzTest().mutantsKeepTheProcessorsContract();
    } catch (AssertionError e) {
      System.out.println(e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  @Test
  void mutantsKeepTheProcessorsContract() {
    long seed = Long.getLong("awaitj.mutation.seed", SEED);
    int count = Integer.getInteger("awaitj.mutation.count", COUNT);
    boolean minimize = Boolean.getBoolean("awaitj.mutation.minimize");
    long seconds = Long.getLong("awaitj.mutation.seconds", Long.MAX_VALUE / 2_000_000_000L);
    Run run = new Run(seed, minimize);
    run.mutants(count, seconds);
    System.out.println(run.summary());
    if (System.getProperty("awaitj.mutation.count") != null) {
      run.writeSummary();
    }
    if (!run.firstFiles.isEmpty()) {
      fail("the processor broke its contract on " + run.firstFiles.size() + " kinds of mutants:\n"
          + String.join("\n", run.firstFiles.keySet()) + "\n(mutants in " + FAILURES.toAbsolutePath()
          + ")\n" + run.summary());
    }
    run.checkEverySeed();
    assertEquals(List.of(), run.invalidSeeds, "seed programs that do not compile on their own"
        + " (fix them, or leave them out in Seeds.NOT_SEEDS with the reason)");
    assertTrue(run.valid >= 100, "only " + run.valid + " seeds");
  }

  @Test
  void everyBlockLeftOutOfTheSeedsExists() {
    Set<String> named = new HashSet<>();
    Seeds.textBlocks(named);
    Set<String> stale = new TreeSet<>(Seeds.NOT_SEEDS.keySet());
    stale.removeAll(named);
    assertEquals(Set.of(), stale, "Seeds.NOT_SEEDS names blocks that are not there");
  }

  /** One fuzzing run: seeds, counters and failures. */
  static final class Run {
    final long seed;
    final boolean minimize;
    /** Whether the first mutant of each kind of repeated error is written too (in the long mode). */
    final boolean writeRepeats = System.getProperty("awaitj.mutation.count") != null;
    final Random rnd;
    final List<Seed> seeds = Seeds.all();
    final Map<Integer, Boolean> validity = new HashMap<>();
    final Map<Integer, Mutator> mutators = new HashMap<>();
    final Set<Integer> texts = new HashSet<>();
    final List<String> invalidSeeds = new ArrayList<>();
    int valid;
    int mutants;
    int succeeded;
    int javacErrors;
    int awaitjErrors;
    int duplicates;
    long millis;
    /** Failures by signature: the first mutant's file. */
    final Map<String, String> firstFiles = new LinkedHashMap<>();
    final Map<String, Integer> failures = new TreeMap<>();
    /**
     * Errors in generated code that {@linkplain Hostile#repeats repeat} javac's errors in the user's
     * code, by signature: counted only.
     */
    final Map<String, Integer> repeats = new TreeMap<>();

    Run(long seed, boolean minimize) {
      this.seed = seed;
      this.minimize = minimize;
      this.rnd = new Random(seed);
    }

    /** Compiles {@code count} distinct mutants, or as many as fit in {@code seconds}. */
    void mutants(int count, long seconds) {
      long start = System.nanoTime();
      long deadline = start + seconds * 1_000_000_000L;
      for (int n = 0; mutants < count && n < 5 * count && System.nanoTime() < deadline; n++) {
        int s = pickSeed();
        if (s < 0) {
          break;
        }
        Seed sd = seeds.get(s);
        Mutator.Mutant m = mutators.get(s).mutate(rnd);
        if (!texts.add(m.source().hashCode()) || m.source().equals(sd.source())) {
          duplicates++;
          continue;
        }
        mutants++;
        if (mutants % 500 == 0) {
          System.out.println("mutation fuzzing: " + mutants + " mutants, " + failures.size()
              + " kinds of failure, " + (System.nanoTime() - start) / 1_000_000_000L + " s");
        }
        Outcome o = Hostile.compile(List.of(sd.qualifiedName()), List.of(m.source()));
        String repeated = count(o);
        if (repeated != null && repeats.get(repeated) == 1 && writeRepeats) {
          write(sd, n, m, o, "repeat " + repeated, "(an error of the user's code, repeated in its copy)");
        }
        if (Boolean.getBoolean("awaitj.mutation.verbose")) {
          System.out.println("---- mutant " + n + " of " + sd.name() + ": " + m.operations() + "\n"
              + (o.compilation() == null ? "" : o.compilation().errors().stream().limit(3)
                  .map(Hostile::format).reduce("", (a, b2) -> a + b2 + "\n")));
        }
        for (Finding f : o.findings()) {
          failed(sd, n, m, o, f);
        }
      }
      millis = (System.nanoTime() - start) / 1_000_000;
    }

    /** A random seed that compiles (checked once, on first use); -1 when none does. */
    private int pickSeed() {
      for (int tries = 0; tries < 10 * seeds.size(); tries++) {
        int s = rnd.nextInt(seeds.size());
        Boolean ok = validity.get(s);
        if (ok == null) {
          ok = check(s);
        }
        if (ok) {
          return s;
        }
      }
      return -1;
    }

    /** Compiles seed {@code s} on its own: whether it compiles, and the findings if it breaks the contract. */
    private boolean check(int s) {
      Seed sd = seeds.get(s);
      Outcome o = Hostile.compile(List.of(sd.qualifiedName()), List.of(sd.source()));
      boolean ok = o.compilation() != null && o.compilation().status() == Compilation.Status.SUCCESS
          && o.ok();
      for (Finding f : o.findings()) {
        failed(sd, -1, new Mutator.Mutant(sd.source(), List.of("(the seed itself)")), o, f);
      }
      validity.put(s, ok);
      if (ok) {
        valid++;
        mutators.put(s, new Mutator(sd.source(), sd.focusStart(), sd.focusEnd()));
      } else {
        invalidSeeds.add(sd.name() + ": " + o.describe().lines().findFirst().orElse("?"));
      }
      return ok;
    }

    /** Counts the outcome; returns the signature of an error it repeats in generated code, if any. */
    private String count(Outcome o) {
      Compilation c = o.compilation();
      if (c == null) {
        return null;
      }
      boolean javac = false;
      boolean awaitj = false;
      String generated = null;
      for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
        if (Hostile.isGenerated(d)) {
          generated = generated == null ? Hostile.format(d) : generated;
        } else if (Hostile.MESSAGER_CODE.equals(d.getCode())) {
          awaitj = true;
        } else {
          javac = true;
        }
      }
      if (javac) {
        javacErrors++;
        if (generated != null && o.ok()) {
          String signature = Hostile.signatureOf(generated);
          repeats.merge(signature, 1, Integer::sum);
          return signature;
        }
      } else if (awaitj) {
        awaitjErrors++;
      } else if (c.status() == Compilation.Status.SUCCESS) {
        succeeded++;
      }
      return null;
    }

    private void failed(Seed sd, int n, Mutator.Mutant m, Outcome o, Finding f) {
      String signature = f.signature();
      int seen = failures.merge(signature, 1, Integer::sum);
      String file = seen <= FILES_PER_SIGNATURE ? write(sd, n, m, o, signature, null) : "(not written)";
      if (!firstFiles.containsKey(signature)) {
        firstFiles.put(signature, file);
        if (minimize) {
          minimize(sd, m.source(), signature);
        }
      }
    }

    /** Checks the seeds no mutant came from yet: all must compile. */
    void checkEverySeed() {
      for (int s = 0; s < seeds.size(); s++) {
        if (!validity.containsKey(s)) {
          check(s);
        }
      }
    }

    private String write(Seed sd, int n, Mutator.Mutant m, Outcome o, String signature, String note) {
      Path dir = FAILURES.resolve(slug(signature));
      String base = "seed" + seed + "-mutant" + n;
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(base + ".java"), m.source());
        Files.writeString(dir.resolve(base + ".txt"), "signature: " + signature + "\n"
            + (note == null ? "" : note + "\n")
            + "seed program: " + sd.name() + " (" + sd.qualifiedName() + ")\n"
            + "random seed: " + seed + ", mutant " + n + "\n"
            + "mutations: " + m.operations() + "\n\n" + o.describe());
        return dir.resolve(base + ".java").toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void minimize(Seed sd, String source, String signature) {
      // Errors in generated code count only while the user's code is valid: javac may stop before
      // attributing it (when generated code does not parse), so that is checked without the processor.
      boolean needsValidCode = !signature.startsWith(Hostile.Kind.INTERNAL_ERROR.name())
          && !signature.startsWith(Hostile.Kind.THREW.name())
          && !signature.startsWith(Hostile.Kind.PROCESSOR_TRACE.name());
      boolean validAtFirst = Hostile.compilesWithoutProcessor(List.of(sd.qualifiedName()), List.of(source));
      Minimizer min = new Minimizer(candidate -> {
        Outcome o = Hostile.compile(List.of(sd.qualifiedName()), List.of(candidate));
        return o.findings().stream().anyMatch(f -> f.signature().equals(signature))
            && (!needsValidCode || !validAtFirst
                || Hostile.compilesWithoutProcessor(List.of(sd.qualifiedName()), List.of(candidate)));
      }, 1500);
      String minimal = min.minimize(source);
      Outcome o = Hostile.compile(List.of(sd.qualifiedName()), List.of(minimal));
      try {
        Path dir = FAILURES.resolve(slug(signature));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("minimal.java"), minimal);
        Files.writeString(dir.resolve("minimal.txt"), "signature: " + signature + "\n"
            + "file name: " + sd.qualifiedName() + "\n\n" + o.describe());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static String slug(String signature) {
      String s = signature.replaceAll("[^A-Za-z0-9]+", "-");
      return s.length() > 90 ? s.substring(0, 90) + "-" + Integer.toHexString(signature.hashCode()) : s;
    }

    String summary() {
      StringBuilder b = new StringBuilder();
      b.append("mutation fuzzing: seed ").append(seed).append(", ").append(mutants).append(" mutants (")
          .append(duplicates).append(" duplicates skipped) of ").append(valid).append(" valid seed programs in ")
          .append(millis / 1000).append(" s\n");
      b.append("  compiled: ").append(succeeded).append(", rejected by javac: ").append(javacErrors)
          .append(", rejected by awaitj only: ").append(awaitjErrors)
          .append(", javac crashed with any processor: ").append(Hostile.JAVAC_OWN_CRASHES.get()).append('\n');
      b.append("  seed programs that do not compile on their own (not mutated): ").append(invalidSeeds.size())
          .append('\n');
      b.append("  contract broken:").append(failures.isEmpty() ? " never" : "").append('\n');
      failures.forEach((k, v) -> b.append("    ").append(v).append(" x ").append(k).append('\n'));
      b.append("  javac's errors in the user's code repeated in generated code (copies of the same expressions):\n");
      repeats.forEach((k, v) -> b.append("    ").append(v).append(" x ").append(k).append('\n'));
      return b.toString();
    }

    void writeSummary() {
      try {
        Files.createDirectories(FAILURES);
        Files.writeString(FAILURES.resolve("summary-seed" + seed + "-" + mutants + ".txt"), summary()
            + "\nseed programs that do not compile on their own: " + invalidSeeds + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
