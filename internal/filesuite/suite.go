package filesuite

import (
	"testing"
	"time"
)

// Target is the file relay under test and what the test may do to it.
type Target struct {
	URL    string        // http://host:port/files (the relay's mount point)
	Expiry time.Duration // its chunk expiry (0: the default 48 h)

	// Now is the relay's clock (nil: time.Now): requests are signed and
	// dates compared with it.
	Now func() time.Time
	// Advance moves the relay's clock forward and runs its expiry sweep
	// (nil: the expiry test skips).
	Advance func(time.Duration)
	// Restart stops the relay and starts it on the same data (nil: skip).
	Restart func()
	// Kill kills the relay abruptly (kill -9) and starts it again on the
	// same data (nil: the crash test skips).
	Kill func()
	// Stored returns the bytes of chunks the relay holds (nil: not
	// checked).
	Stored func() int64
	// Leftovers returns the files of uploads in progress on its disk
	// (nil: not checked).
	Leftovers func() int
}

// Run runs every test against tg as subtests.
func Run(t *testing.T, tg Target) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, tg) })
	}
}

// RunOne runs the test named name (as Run names its subtests).
func RunOne(t *testing.T, tg Target, name string) {
	for _, tc := range tests {
		if tc.name == name {
			tc.f(t, tg)
			return
		}
	}
	t.Fatalf("filesuite: no test %s", name)
}

var tests = []struct {
	name string
	f    func(*testing.T, Target)
}{
	{"RoundTrip", testRoundTrip},
	{"EverySize", testEverySize},
	{"UploadTwice", testUploadTwice},
	{"ConcurrentUploads", testConcurrentUploads},
	{"DownloadBeforeUpload", testDownloadBeforeUpload},
	{"RecipientsDoneChunkGone", testRecipientsDone},
	{"SenderDeletes", testSenderDeletes},
	{"AddRecipients", testAddRecipients},
	{"RecipientsPerChunk", testRecipientsPerChunk},
	{"WrongSizes", testWrongSizes},
	{"BadSignatures", testBadSignatures},
	{"UnknownAndMalformedIDs", testIDs},
	{"BadJSON", testBadJSON},
	{"CORS", testCORS},
	{"Expiry", testExpiry},
	{"RestartKeepsChunks", testRestart},
	{"CrashMidUpload", testCrashMidUpload},
}
