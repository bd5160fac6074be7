package nodenogg.earthstar.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Shared Jackson instances (thread-safe once configured). */
public final class Json {
  public static final ObjectMapper MAPPER;
  public static final JsonFactory FACTORY;

  static {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
            .build();
    MAPPER = new ObjectMapper(f);
    FACTORY = MAPPER.getFactory();
  }

  private Json() {}
}
