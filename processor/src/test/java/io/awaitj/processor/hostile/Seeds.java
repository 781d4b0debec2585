package io.awaitj.processor.hostile;

import io.awaitj.processor.Compiled;
import io.awaitj.processor.ConstructsTest;
import io.awaitj.processor.Differential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The valid programs the mutation fuzzer starts from: each case of {@link ConstructsTest#CASES} in a
 * class of its own (with the shared helpers), every text block of the processor's other tests that
 * holds a whole compilation unit with an {@code @Async} method (with the usual imports of package
 * {@code demo} when it has no package clause), and the programs of {@link HostileCorpusTest} that
 * must compile. Whether a seed really compiles is checked before it is
 * mutated (see {@link MutationFuzzTest}): blocks written to fail are dropped there.
 */
final class Seeds {
  private Seeds() {}

  /**
   * One seed: the file's qualified name, its text, and the part of the text most mutations go to
   * ({@code focusStart} to {@code focusEnd}; the whole text when nothing narrower is known).
   */
  record Seed(String name, String qualifiedName, String source, int focusStart, int focusEnd) {}

  /** The tests whose text blocks are read, relative to the module's directory. */
  static final Path TEST_SOURCES = Path.of("src", "test", "java", "io", "awaitj", "processor");

  private static final Pattern TEXT_BLOCK =
      Pattern.compile("\"\"\"[ \\t]*\\n(.*?)(?<!\\\\)\"\"\"", Pattern.DOTALL);

  /** All seeds, in a fixed order. */
  static List<Seed> all() {
    List<Seed> out = new ArrayList<>();
    String extra = ConstructsTest.EXTRA + ConstructsTest.EXTRA_INCREMENT;
    for (Differential.Case c : ConstructsTest.CASES) {
      String source = Differential.source("a", true, List.of(c), extra);
      String body = c.body().indent(4);
      int start = source.indexOf(body);
      int end = start < 0 ? source.length() : start + body.length();
      out.add(new Seed("ConstructsTest." + c.name(), "a.Subject", source, Math.max(start, 0), end));
    }
    out.addAll(textBlocks());
    for (HostileCorpusTest.Entry e : HostileCorpusTest.CORPUS) {
      if (e.origin() == HostileCorpusTest.Origin.NONE && e.sources().size() == 1) {
        String unit = e.sources().get(0);
        out.add(new Seed("HostileCorpusTest." + e.name(), Hostile.qualifiedName(unit), unit, 0, unit.length()));
      }
    }
    return out;
  }

  /** The whole units among the text blocks of the tests beside this package. */
  static List<Seed> textBlocks() {
    List<Seed> out = new ArrayList<>();
    if (!Files.isDirectory(TEST_SOURCES)) {
      return out; // not run from the module's directory: the cases of ConstructsTest only
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(TEST_SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher m = TEXT_BLOCK.matcher(text);
      int index = 0;
      while (m.find()) {
        index++;
        String block;
        try {
          block = m.group(1).stripIndent().translateEscapes();
        } catch (IllegalArgumentException badEscape) {
          continue;
        }
        if (!block.contains("@Async")) {
          continue;
        }
        String unit = block.startsWith("package ") ? block : HostileCorpusTest.demo(block);
        String qualified;
        try {
          qualified = Compiled.qualifiedName(unit);
        } catch (IllegalArgumentException noType) {
          continue; // a fragment (members of a class written elsewhere)
        }
        String name = file.getFileName().toString().replace(".java", "") + "#" + index;
        out.add(new Seed(name, qualified, unit, 0, unit.length()));
      }
    }
    return out;
  }
}
