package io.atomizer.operator.inbox;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Hears about every scan, changed or not, and about agents that are gone (the metrics do). */
public interface InboxScanListener {

  InboxScanListener NONE =
      new InboxScanListener() {
        @Override
        public void scanned(ResourceID agent, InboxSnapshot snapshot) {}

        @Override
        public void forgotten(ResourceID agent) {}
      };

  /** A scan of {@code agent}'s INBOX finished (or was found hung). */
  void scanned(ResourceID agent, InboxSnapshot snapshot);

  /** {@code agent} was deleted; nothing more will be reported for it. */
  void forgotten(ResourceID agent);
}
