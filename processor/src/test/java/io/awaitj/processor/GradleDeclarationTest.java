package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The processor jar's {@code META-INF/gradle/incremental.annotation.processors} names every processor
 * the jar registers with javac ({@code META-INF/services}, written by AutoService), each with a
 * category Gradle knows: a processor missing there, or misspelt, makes Gradle recompile everything.
 */
class GradleDeclarationTest {
  @Test
  void everyRegisteredProcessorHasAnIncrementalCategory() throws IOException {
    Map<String, String> declared = new LinkedHashMap<>();
    for (String line : lines("META-INF/gradle/incremental.annotation.processors")) {
      String[] parts = line.split(",");
      assertEquals(2, parts.length, line);
      declared.put(parts[0].trim(), parts[1].trim());
    }
    TreeSet<String> registered = new TreeSet<>(lines("META-INF/services/javax.annotation.processing.Processor"));
    assertEquals(registered, new TreeSet<>(declared.keySet()));
    for (Map.Entry<String, String> e : declared.entrySet()) {
      assertEquals("isolating", e.getValue(), e.getKey());
    }
  }

  /** The lines of a resource of the processor's jar, as Gradle reads them: '#' comments, blanks out. */
  private static java.util.List<String> lines(String resource) throws IOException {
    java.util.List<String> lines = new java.util.ArrayList<>();
    try (InputStream in = AsyncProcessor.class.getClassLoader().getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        int hash = line.indexOf('#');
        String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
        if (!l.isEmpty()) {
          lines.add(l);
        }
      }
    }
    return lines;
  }
}
