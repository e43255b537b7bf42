package kontor.device;

/** What a room's status light can show. */
public enum LightColor { GREEN, AMBER, RED, OFF }
