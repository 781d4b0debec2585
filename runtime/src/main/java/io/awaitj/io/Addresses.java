package io.awaitj.io;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host names: literals are parsed on the loop; names are resolved on a thread (see {@link Connect}). */
final class Addresses {
  private Addresses() {}

  /**
   * Whether {@code host} is an IP literal, which {@link InetAddress#getAllByName} parses without a
   * lookup (so it may run on the loop's thread).
   */
  static boolean isLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6 (names have no colon)
    }
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  /** Resolves {@code host} (blocking for a name: call it on a thread). */
  static InetAddress[] resolve(String host) throws UnknownHostException {
    return InetAddress.getAllByName(host);
  }
}
