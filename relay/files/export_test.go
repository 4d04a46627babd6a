package files

import "time"

// LogRefusals logs the refusal counts now (the server does it every
// minute).
func LogRefusals(s *Server) { s.refused.log(s.log, time.Minute) }
