package proto

// validate checks the required fields of decoded params.
func validate(p Params) error {
	missing := func(field string) error { return errf(CodeMissing, nil, "%s: %s", p.Event(), field) }
	switch v := p.(type) {
	case *GrpInv:
		gi := v.GroupInvitation
		if gi.ConnRequest == "" {
			return missing("connRequest")
		}
		if len(gi.FromMember.MemberID) == 0 || len(gi.InvitedMember.MemberID) == 0 {
			return missing("memberId")
		}
	case *GrpLinkInv:
		if len(v.GroupLinkInvitation.InvitedMember.MemberID) == 0 || len(v.GroupLinkInvitation.FromMember.MemberID) == 0 {
			return missing("memberId")
		}
	case *GrpAcpt:
		return needID(v.MemberID, missing)
	case *GrpMemNew:
		return needID(v.MemberInfo.MemberID, missing)
	case *GrpMemIntro:
		return needID(v.MemberInfo.MemberID, missing)
	case *GrpMemInv:
		if v.MemberIntro.GroupConnReq == "" {
			return missing("groupConnReq")
		}
		return needID(v.MemberID, missing)
	case *GrpMemFwd:
		if v.MemberIntro.GroupConnReq == "" {
			return missing("groupConnReq")
		}
		return needID(v.MemberInfo.MemberID, missing)
	case *GrpMemInfo:
		return needID(v.MemberID, missing)
	case *GrpMemCon:
		return needID(v.MemberID, missing)
	case *GrpMsgForward:
		if v.Msg == nil || v.Msg.Params == nil {
			return missing("msg")
		}
		return needID(v.MemberID, missing)
	case *GrpMemRole:
		if v.Role == "" {
			return missing("role")
		}
		return needID(v.MemberID, missing)
	case *GrpMemDel:
		return needID(v.MemberID, missing)
	case *GrpDirectInv:
		if v.ConnReq == "" {
			return missing("connReq")
		}
	case *MsgNew:
		if v.TTL != nil && *v.TTL <= 0 {
			return errf(CodeSyntax, nil, "%s: ttl %d", p.Event(), *v.TTL)
		}
	case *MsgUpdate:
		if len(v.MsgID) == 0 {
			return missing("msgId")
		}
	case *MsgDel:
		if len(v.MsgID) == 0 {
			return missing("msgId")
		}
	case *MsgReact:
		if len(v.MsgID) == 0 {
			return missing("msgId")
		}
	case *MsgFileDescr:
		if len(v.MsgID) == 0 {
			return missing("msgId")
		}
		if v.FileDescr.FileDescrPartNo < 0 {
			return errf(CodeSyntax, nil, "%s: part %d", p.Event(), v.FileDescr.FileDescrPartNo)
		}
	}
	return nil
}

func needID(id Bytes, missing func(string) error) error {
	if len(id) == 0 {
		return missing("memberId")
	}
	return nil
}
