package io.gossip4j.jmh.ed25519;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few libsodium functions a verifier needs, bound with JNA's direct mapping (the fastest
 * JNA call path) to the system's library: {@code -Dgossip4j.libsodium=PATH}, else Debian's
 * libsodium23, else whatever {@code sodium} JNA finds.
 */
final class SodiumNative {
  private static final String DEBIAN = "/usr/lib/x86_64-linux-gnu/libsodium.so.23";
  private static String path;

  private SodiumNative() {}

  static synchronized void load() {
    if (path != null) {
      return;
    }
    String chosen = System.getProperty("gossip4j.libsodium");
    if (chosen == null) {
      chosen = Files.exists(Path.of(DEBIAN)) ? DEBIAN : "sodium";
    }
    Native.register(SodiumNative.class, NativeLibrary.getInstance(chosen));
    if (sodium_init() < 0) {
      throw new IllegalStateException("sodium_init failed");
    }
    path = chosen;
  }

  static String path() {
    return path;
  }

  static native int sodium_init();

  static native String sodium_version_string();

  static native int crypto_sign_seed_keypair(byte[] pk, byte[] sk, byte[] seed);

  static native int crypto_sign_detached(byte[] sig, Pointer siglen, byte[] m, long mlen,
      byte[] sk);

  static native int crypto_sign_verify_detached(byte[] sig, byte[] m, long mlen, byte[] pk);
}
