package configfile

// namesSeen tells, member by member, whether an object's member repeats
// the name of an earlier member. Objects of a config are small: their
// members are compared with the earlier ones, without a map; a large
// object (a map section with many names) gets a set.
type namesSeen struct {
	members []member
	set     map[string]bool // nil for a small object
}

// namesSetFrom is the number of members from which namesSeen keeps a set.
const namesSetFrom = 32

// newNamesSeen starts on the members of an object.
func newNamesSeen(members []member) namesSeen {
	s := namesSeen{members: members}
	if len(members) >= namesSetFrom {
		s.set = make(map[string]bool, len(members))
	}
	return s
}

// repeated reports whether member i has the name of a member before it.
// It is called for every member in order.
func (s *namesSeen) repeated(i int) bool {
	name := s.members[i].key
	if s.set == nil {
		for _, m := range s.members[:i] {
			if m.key == name {
				return true
			}
		}
		return false
	}
	if s.set[name] {
		return true
	}
	s.set[name] = true
	return false
}
