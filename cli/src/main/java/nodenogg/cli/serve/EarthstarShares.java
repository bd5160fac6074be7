package nodenogg.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nodenogg.cli.UsageException;
import nodenogg.earthstar.Addresses;

/**
 * Reads an Earthstar known-shares file: a JSON array of share addresses (earthstar's {@code
 * ExtensionKnownShares} format).
 */
public final class EarthstarShares {
  private EarthstarShares() {}

  public static List<String> read(Path file) {
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UsageException("cannot read the shares file " + file + ": " + e.getMessage());
    }
    if (node == null || !node.isArray()) {
      throw new UsageException(
          file + " must hold a JSON array of share addresses, like [\"+name.bkey...\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      String problem = n.isTextual() ? Addresses.checkShare(n.asText()) : "not a string";
      if (problem != null) {
        throw new UsageException(file + ": " + n + " is not a share address: " + problem);
      }
      if (!out.contains(n.asText())) {
        out.add(n.asText());
      }
    }
    return out;
  }
}
