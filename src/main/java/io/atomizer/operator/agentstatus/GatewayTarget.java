package io.atomizer.operator.agentstatus;

import java.net.URI;

/**
 * Where and how to ask one agent's gateway: its base URL (the pod IP and gateway port) and its
 * gateway token. {@link #toString()} never shows the token.
 */
public record GatewayTarget(URI baseUrl, String token) {

  @Override
  public String toString() {
    return "GatewayTarget[" + baseUrl + ", token=(redacted)]";
  }
}
