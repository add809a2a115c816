// Package lifetime decides when a deployed version expires.
//
// A Behaviour says how long a deployment lives: until tonight, until the end of the
// working week, a number of days, forever, or (for a version) whatever its project says.
// A Policy holds the installation's settings (the end of the day, the last working day
// and the time zone) and turns a deployment time and a Behaviour into an expiry time.
// The package does no I/O and reads no clock: callers pass the deployment time and
// compare the result with their own now.
package lifetime
