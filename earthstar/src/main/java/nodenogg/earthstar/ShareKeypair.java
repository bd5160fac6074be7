package nodenogg.earthstar;

import java.util.Objects;
import nodenogg.earthstar.internal.Ed25519;

/**
 * A share and its write secret: {@code shareAddress} ({@code +name.bkey}) and {@code secret}, the
 * JSON shape earthstar's {@code Crypto.generateShareKeypair} returns. Knowing the address lets a
 * peer read and sync the share; writing needs the secret. Immutable.
 */
public record ShareKeypair(String shareAddress, String secret) {

  public ShareKeypair {
    Objects.requireNonNull(shareAddress, "shareAddress");
    Objects.requireNonNull(secret, "secret");
  }

  /**
   * A new random share.
   *
   * @param name 1 to 15 characters {@code [a-z0-9]}, not starting with a digit
   */
  public static ShareKeypair generate(String name) {
    byte[][] kp = Ed25519.generate();
    ShareKeypair k =
        new ShareKeypair("+" + name + "." + Base32.encode(kp[0]), Base32.encode(kp[1]));
    String problem = Addresses.checkShare(k.shareAddress);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return k;
  }

  /** Null when the address is valid and the secret belongs to it, else what is wrong. */
  public String check() {
    String problem = Addresses.checkShare(shareAddress);
    return problem != null ? problem : Keys.checkSecret(shareAddress, secret);
  }

  public String sign(String message) {
    return Keys.sign(secret, message);
  }

  /** JSON {@code {"shareAddress":...,"secret":...}}. */
  public String toJson() {
    return "{\"shareAddress\":\"" + shareAddress + "\",\"secret\":\"" + secret + "\"}";
  }

  @Override
  public String toString() {
    return "ShareKeypair[" + shareAddress + "]"; // never the secret
  }
}
