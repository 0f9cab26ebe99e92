// For each iCalendar file named on stdin (one per line), print "file uid utc" for every
// VEVENT, its DTSTART converted to UTC by ical.js through the file's own VTIMEZONE.
const ICAL = require(process.argv[2]);
const fs = require("fs");
const files = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
const out = [];
for (const file of files) {
  ICAL.TimezoneService.reset();
  const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  for (const vtz of comp.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  for (const ev of comp.getAllSubcomponents("vevent")) {
    const start = ev.getFirstPropertyValue("dtstart");
    const tzid = ev.getFirstProperty("dtstart").getParameter("tzid");
    if (tzid) start.zone = ICAL.TimezoneService.get(tzid);
    out.push(file + " " + ev.getFirstPropertyValue("uid") + " " + start.convertToZone(ICAL.Timezone.utcTimezone).toString());
  }
}
process.stdout.write(out.join("\n") + "\n");
