package kontor.site;

/**
 * The {@code home_assistant:} section: whether the gateway announces the site to Home Assistant by MQTT
 * discovery, and whether it may offer entities that open something (a locker's master open, a release).
 * Those stay off unless the site file says so, because anyone who can press a button in Home Assistant
 * could then open a locker.
 */
public record HomeAssistantSpec(boolean discovery, boolean allowControl) {
    public static final HomeAssistantSpec DEFAULTS = new HomeAssistantSpec(
            SiteSettings.HOME_ASSISTANT_DISCOVERY.defaultValue(), SiteSettings.HOME_ASSISTANT_ALLOW_CONTROL.defaultValue());
}
