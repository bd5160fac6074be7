package nodenogg.earthstar;

import java.util.Objects;
import nodenogg.earthstar.internal.Ed25519;

/**
 * An author identity: {@code address} ({@code @name.bkey}) and {@code secret} (the base32 Ed25519
 * seed), the JSON shape earthstar's {@code Crypto.generateAuthorKeypair} returns. Immutable.
 */
public record AuthorKeypair(String address, String secret) {

  public AuthorKeypair {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(secret, "secret");
  }

  /**
   * A new random keypair.
   *
   * @param name 4 characters {@code [a-z0-9]}, not starting with a digit
   */
  public static AuthorKeypair generate(String name) {
    byte[][] kp = Ed25519.generate();
    AuthorKeypair k =
        new AuthorKeypair("@" + name + "." + Base32.encode(kp[0]), Base32.encode(kp[1]));
    String problem = Addresses.checkAuthor(k.address);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return k;
  }

  /** Null when the address is valid and the secret belongs to it, else what is wrong. */
  public String check() {
    String problem = Addresses.checkAuthor(address);
    return problem != null ? problem : Keys.checkSecret(address, secret);
  }

  /** Signs the UTF-8 bytes of {@code message}; returns the {@code b}-prefixed base32 signature. */
  public String sign(String message) {
    return Keys.sign(secret, message);
  }

  /** JSON {@code {"address":...,"secret":...}}. */
  public String toJson() {
    return "{\"address\":\"" + address + "\",\"secret\":\"" + secret + "\"}";
  }

  @Override
  public String toString() {
    return "AuthorKeypair[" + address + "]"; // never the secret
  }
}
