package io.ripcord.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: a poller replaced a selector that kept returning early with nothing selected (JDK-6670302). */
@Name("io.ripcord.SelectorRebuilt")
@Label("Selector Rebuilt")
@Category({"Ripcord", "Event Pool"})
@Description("A poller replaced a spinning selector: premature empty selects in a row reached the threshold")
final class SelectorRebuilt extends jdk.jfr.Event {

    @Label("Poller")
    String poller;

    @Label("Premature Empty Selects")
    int prematureSelects;

    @Label("Keys Moved")
    int keys;
}
