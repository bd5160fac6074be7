package nodenogg.earthstar.internal.sync;

import java.util.concurrent.CompletableFuture;
import nodenogg.earthstar.EsDocument;

/**
 * How a client reaches the server's attachment sockets ({@code
 * <base>/<syncerId>/download|upload/<share>/<format>/<author><path>}). Servers have none: they ask
 * the client to upload ({@code WANT_ATTACHMENT}).
 */
public interface AttachmentLink {

  /** The bytes the server sends for {@code doc}'s attachment (empty when it has none). */
  CompletableFuture<byte[]> download(
      String partnerSyncerId, String share, EsDocument doc, long maxBytes);

  CompletableFuture<Void> upload(
      String partnerSyncerId, String share, EsDocument doc, byte[] bytes);
}
