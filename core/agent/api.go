package agent

import "context"

// The methods below are one-operation transactions (Update around the Tx
// method of the same name), for callers that have nothing to commit with
// them: tools, tests. Not inside a Handler or an Update (the lock is held).

// CreateInvitation makes a one-time invitation (see Tx.CreateInvitation).
func (a *Agent) CreateInvitation(ctx context.Context) (connID, link string, err error) {
	err = a.Update(ctx, func(t *Tx) error {
		connID, link, err = t.CreateInvitation()
		return err
	})
	return connID, link, err
}

// CreateAddress makes a contact address (see Tx.CreateAddress).
func (a *Agent) CreateAddress(ctx context.Context) (connID, link string, err error) {
	err = a.Update(ctx, func(t *Tx) error {
		connID, link, err = t.CreateAddress()
		return err
	})
	return connID, link, err
}

// Join joins a link (see Tx.Join).
func (a *Agent) Join(ctx context.Context, link string, connInfo []byte) (connID string, err error) {
	err = a.Update(ctx, func(t *Tx) error {
		connID, err = t.Join(link, connInfo)
		return err
	})
	return connID, err
}

// Allow accepts a Confirmation (see Tx.Allow).
func (a *Agent) Allow(ctx context.Context, connID, confID string, connInfo []byte) error {
	return a.Update(ctx, func(t *Tx) error { return t.Allow(connID, confID, connInfo) })
}

// AcceptRequest accepts a Request (see Tx.AcceptRequest).
func (a *Agent) AcceptRequest(ctx context.Context, addressConnID, reqID string, connInfo []byte) (connID string, err error) {
	err = a.Update(ctx, func(t *Tx) error {
		connID, err = t.AcceptRequest(addressConnID, reqID, connInfo)
		return err
	})
	return connID, err
}

// Send queues one message (see Tx.Send).
func (a *Agent) Send(ctx context.Context, connID string, body []byte) (n uint64, err error) {
	err = a.Update(ctx, func(t *Tx) error {
		n, err = t.Send(connID, body, SendOptions{})
		return err
	})
	return n, err
}

// Delete deletes a connection, dropping what it has queued (see
// Tx.DeleteConnection).
func (a *Agent) Delete(ctx context.Context, connID string) error {
	return a.Update(ctx, func(t *Tx) error { return t.DeleteConnection(connID, false) })
}
