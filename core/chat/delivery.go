package chat

import "strings"

// onDelivery: Sent and Delivered of my messages.
func (c *Client) onDelivery(t *tx, ev AgentEvent) error {
	k := ev.ConnID + "/" + seqKey(ev.MsgNum)
	var d dlvRec
	ok, err := t.getJSON(bDlv, k, &d)
	if err != nil {
		return err
	}
	if !ok {
		if c.inflight > 0 && len(c.early) < 100000 { // a Send returning right now
			c.early[k] = append(c.early[k], ev.Kind)
		}
		return nil
	}
	status := "sent"
	if ev.Kind == AgentSent {
		if d.Sent {
			return nil
		}
		d.Sent = true
		t.put(bDlv, k, d)
		if d.DeleteAfter {
			c.addTask(t, taskRec{Op: opDelete, ConnID: ev.ConnID})
		}
	} else {
		status = "delivered"
		t.del(bDlv, k)
	}
	if d.MsgKey == "" {
		return nil
	}
	var m msgRec
	if ok, err := t.getJSON(bMsg, d.MsgKey, &m); err != nil || !ok {
		return err
	}
	for _, id := range d.Members {
		if m.Deliv == nil {
			m.Deliv = map[string]string{}
		}
		if m.Deliv[id] != "delivered" {
			m.Deliv[id] = status
		}
	}
	if m.Status != "delivered" {
		m.Status = "sent"
	}
	v := msgView(&m)
	if v.Delivered == v.Total && v.Total > 0 && status == "delivered" {
		m.Status = "delivered"
	}
	c.putMsg(t, &m)
	ref := ChatRef{GroupID: strings.TrimPrefix(m.Chat, "g")}
	if strings.HasPrefix(m.Chat, "c") {
		ref = ChatRef{ContactID: m.Chat[1:]}
	}
	for _, id := range d.Members {
		t.emit(DeliveryEvent{Chat: ref, MessageID: m.ID, MemberID: id, Status: status, Delivered: v.Delivered, Total: v.Total})
	}
	return nil
}

func msgView(m *msgRec) Message {
	v := Message{MessageID: m.ID, Text: m.Text, Sender: m.Sender, Ts: m.Ts, Status: m.Status, Total: len(m.Deliv)}
	for _, s := range m.Deliv {
		if s == "delivered" {
			v.Delivered++
		}
	}
	return v
}
