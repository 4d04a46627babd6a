// tabs-shared.test.mjs — many tabs, one core, in a SharedWorker (the mode of
// every desktop browser): two and three tabs of one person send and receive at
// once, the first tab closes, close() in one tab leaves the others running, a
// tab crashes while sending (nothing lost or twice), the SharedWorker is killed
// while a tab sends (the tabs start it again; every send once), and the core
// stops with the last tab (tabslib.mjs has the story and its checks).
import { tabsStory } from "./tabslib.mjs";

tabsStory("shared");
