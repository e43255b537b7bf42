package kontor.device;

/** A card reader; reports {@link Signal.CardPresented} and {@link Signal.CardUnreadable}. */
public interface CardReader extends Device { }
