package dev.eventsource.autoconfigure;

/**
 * Explains a {@link SnapshotConfigurationException}: snapshots asked for that cannot be set up as asked.
 */
class SnapshotConfigurationFailureAnalyzer extends MessageFailureAnalyzer<SnapshotConfigurationException> {

    @Override
    String action(SnapshotConfigurationException cause) {
        return cause.action();
    }
}
