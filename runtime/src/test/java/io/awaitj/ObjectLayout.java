package io.awaitj;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The object layout the allocation tests' byte figures were measured with: HotSpot's default on a
 * 64-bit JVM with a heap under 32 GiB, on JDK 17 and JDK 25 alike: compressed references and class
 * pointers, 12-byte object headers (not compact headers), 8-byte alignment. Objects are then a
 * 12-byte header plus their fields, rounded up to a multiple of 8.
 *
 * <p>The figures are absolute numbers of bytes, so under another layout they mean nothing: larger
 * objects would fail the tests for no fault of the code, smaller ones would loosen them silently. A
 * test of figures therefore fails on another layout, saying so, rather than passing or skipping
 * quietly; a JDK that changes the default needs its own figures measured.
 */
public final class ObjectLayout {
  private ObjectLayout() {}

  /** Fails (on HotSpot) unless the layout is the one the figures were measured with. */
  public static void requireMeasuredLayout() {
    HotSpotDiagnosticMXBean hotSpot;
    try {
      hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (IllegalArgumentException e) {
      hotSpot = null;
    }
    assumeTrue(hotSpot != null, "not HotSpot: the byte figures are HotSpot's");
    String layout =
        "UseCompressedOops=" + option(hotSpot, "UseCompressedOops", "false")
            + " UseCompressedClassPointers=" + option(hotSpot, "UseCompressedClassPointers", "true")
            + " UseCompactObjectHeaders=" + option(hotSpot, "UseCompactObjectHeaders", "false")
            + " ObjectAlignmentInBytes=" + option(hotSpot, "ObjectAlignmentInBytes", "8");
    String measured =
        "UseCompressedOops=true UseCompressedClassPointers=true UseCompactObjectHeaders=false"
            + " ObjectAlignmentInBytes=8";
    if (!layout.equals(measured)) {
      fail(
          "the allocation figures were measured with " + measured + "; this JVM runs with " + layout
              + ": run the test with the default layout, or measure its figures for this one");
    }
  }

  /** The value of a VM option, or {@code absent} if this JVM does not have it (an older JDK). */
  private static String option(HotSpotDiagnosticMXBean hotSpot, String name, String absent) {
    try {
      return hotSpot.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return absent;
    }
  }
}
