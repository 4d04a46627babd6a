// tabs-leader.test.mjs — the same story as tabs-shared.test.mjs with
// SharedWorker removed from the pages (Chrome for Android before 148): a
// leader tab elected with Web Locks runs the core in a dedicated worker and
// the others reach it over a BroadcastChannel. Here the first tab is the
// leader, so closing it moves the core; and the leader tab crashes while
// another tab sends: every send resolves once, other calls complete or reject
// MOVED.
import { tabsStory } from "./tabslib.mjs";

tabsStory("leader");
