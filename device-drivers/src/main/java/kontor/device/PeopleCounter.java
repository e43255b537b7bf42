package kontor.device;

/** A directional people counter (two pulse lines, in and out); reports {@link Signal.PeopleCounted}. */
public interface PeopleCounter extends Device { }
