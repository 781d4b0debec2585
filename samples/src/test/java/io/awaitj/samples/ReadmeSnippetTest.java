package io.awaitj.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using it" snippet, copied verbatim out of README.md into an empty project, builds
 * with Maven and runs an {@code @Async} method: what a new user does first.
 *
 * <p>The artifacts are not published, and this test must not install them into the user's local
 * repository (~/.m2). So it lays out a throwaway local repository of its own holding this reactor's
 * parent pom and the annotations, runtime and processor (their poms, and jars made from their
 * freshly compiled classes), and gives Maven the real local repository as a read-only {@code file:}
 * repository for everything else (plugins, javapoet). The throwaway project's parent pins the
 * lifecycle plugins other than the compiler (resources, jar, surefire) to the versions this build
 * itself uses, which are therefore in the local repository once this build has packaged a module (as
 * {@code mvn verify} has when this test runs); the compiler plugin's version is the snippet's. Maven
 * runs offline, always: it reads nothing but these two repositories ({@code
 * aether.offline.protocols=file} lets an offline Maven read a {@code file:} repository).
 */
class ReadmeSnippetTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The first xml block after the heading "## Using it". */
  static String snippet() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int section = readme.indexOf("\n## Using it\n");
    assertTrue(section >= 0, "README.md has no '## Using it' section");
    int start = readme.indexOf("```xml\n", section);
    int end = readme.indexOf("\n```", start + 1);
    assertTrue(start >= 0 && end > start, "no ```xml block after '## Using it'");
    return readme.substring(start + "```xml\n".length(), end + 1);
  }

  static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertTrue(m.find(), "no " + name + " in the parent pom");
    return m.group(1).trim();
  }

  static void jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(classes)) {
      for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }

  static String run(List<String> command, Path dir, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
    return output;
  }

  @Test
  void theUsingItSnippetBuildsAnEmptyProject(@TempDir Path tmp) throws Exception {
    String parentPom = Files.readString(ROOT.resolve("pom.xml"));
    String version = property(parentPom, "version");

    // A throwaway local repository with this build's artifacts, laid out as mvn install would.
    Path repo = tmp.resolve("repo");
    Path group = repo.resolve("io/awaitj");
    Path parentDir = Files.createDirectories(group.resolve("awaitj-parent/" + version));
    Files.copy(ROOT.resolve("pom.xml"), parentDir.resolve("awaitj-parent-" + version + ".pom"));
    for (String module : List.of("annotations", "runtime", "processor")) {
      String artifact = "awaitj-" + module;
      Path dir = Files.createDirectories(group.resolve(artifact + "/" + version));
      Files.copy(ROOT.resolve(module + "/pom.xml"), dir.resolve(artifact + "-" + version + ".pom"));
      Path classes = ROOT.resolve(module + "/target/classes");
      assertTrue(Files.isDirectory(classes), classes + " is not built");
      jar(classes, dir.resolve(artifact + "-" + version + ".jar"));
    }

    // The real local repository, read-only, for plugins and third-party dependencies.
    String userRepo = System.getProperty("awaitj.outerRepository",
        System.getProperty("user.home") + "/.m2/repository");
    String url = Path.of(userRepo).toUri().toString();
    Path settings = tmp.resolve("settings.xml");
    Files.writeString(settings, "<settings>\n  <profiles>\n    <profile>\n      <id>user-m2</id>\n"
        + "      <repositories><repository><id>user-m2</id><url>" + url + "</url></repository>"
        + "</repositories>\n"
        + "      <pluginRepositories><pluginRepository><id>user-m2</id><url>" + url
        + "</url></pluginRepository></pluginRepositories>\n"
        + "    </profile>\n  </profiles>\n  <activeProfiles><activeProfile>user-m2</activeProfile>"
        + "</activeProfiles>\n</settings>\n");

    // The parent of the throwaway project: lifecycle plugins at versions this build has resolved.
    Path pins = Files.createDirectories(tmp.resolve("pins"));
    StringBuilder plugins = new StringBuilder();
    for (String[] p : new String[][] {{"maven-resources-plugin", "resources-plugin.version"},
        {"maven-jar-plugin", "jar-plugin.version"},
        {"maven-surefire-plugin", "surefire-plugin.version"}}) {
      plugins.append("      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>")
          .append(p[0]).append("</artifactId><version>").append(property(parentPom, p[1]))
          .append("</version></plugin>\n");
    }
    Files.writeString(pins.resolve("pom.xml"), "<project>\n"
        + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n"
        + "  <artifactId>pins</artifactId>\n  <version>1</version>\n  <packaging>pom</packaging>\n"
        + "  <build><pluginManagement><plugins>\n" + plugins
        + "  </plugins></pluginManagement></build>\n</project>\n");

    // The user's project: the snippet as it is, and one @Async method.
    Path project = Files.createDirectories(tmp.resolve("hello"));
    Files.writeString(project.resolve("pom.xml"), "<project>\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <parent><groupId>com.example</groupId><artifactId>pins</artifactId><version>1</version>"
        + "<relativePath>../pins/pom.xml</relativePath></parent>\n"
        + "  <artifactId>hello</artifactId>\n"
        + snippet()
        + "</project>\n");
    Path source = Files.createDirectories(project.resolve("src/main/java/com/example"));
    Files.writeString(source.resolve("Hello.java"), String.join("\n",
        "package com.example;",
        "",
        "import static io.awaitj.Aio.await;",
        "import static io.awaitj.Aio.done;",
        "",
        "import io.awaitj.Aio;",
        "import io.awaitj.Async;",
        "import io.awaitj.Coroutine;",
        "",
        "public final class Hello {",
        "  @Async",
        "  static Coroutine<String> greet(String who) {",
        "    await(Aio.sleep(10));",
        "    return done(\"hello, \" + who);",
        "  }",
        "",
        "  public static void main(String[] args) {",
        "    System.out.println(Aio.run(HelloAsync.greet(\"awaitj\")));",
        "  }",
        "}",
        ""));

    String mavenHome = System.getProperty("awaitj.mavenHome", "");
    String mvn = mavenHome.isEmpty() || mavenHome.startsWith("$") ? "mvn" : mavenHome + "/bin/mvn";
    run(List.of(mvn, "-B", "-ntp", "-q", "-o", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
        "-Daether.offline.protocols=file", "-Dmaven.test.skip=true", "package"),
        project, tmp.resolve("mvn.log"));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = String.join(File.pathSeparator,
        project.resolve("target/hello-1.jar").toString(),
        group.resolve("awaitj-runtime/" + version + "/awaitj-runtime-" + version + ".jar").toString(),
        group.resolve("awaitj-annotations/" + version + "/awaitj-annotations-" + version + ".jar")
            .toString());
    String output = run(List.of(java, "-cp", classpath, "com.example.Hello"), project,
        tmp.resolve("java.log"));
    assertEquals("hello, awaitj\n", output.replace(System.lineSeparator(), "\n"));
  }
}
