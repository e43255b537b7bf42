package kontor.core;

import kontor.journal.Journal;
import kontor.members.Members;
import kontor.mqtt.RetainedTopics;
import kontor.site.Site;
import kontor.store.Database;
import kontor.time.Scheduler;

/** What every {@link SiteService} may use: the site, its clock, its store and the ways to tell the world. */
public record SiteContext(
        Site site,
        Scheduler clock,
        Database db,
        Journal journal,
        Events events,
        Alarms alarms,
        SiteDevices devices,
        RetainedTopics retained,
        Topics topics,
        Members members,
        Taps taps,
        OpeningTimes hours) { }
