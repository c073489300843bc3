// The overlay client arrives with its own issue; this placeholder keeps the route honest.
console.info('[ng-annotate] overlay placeholder loaded');
