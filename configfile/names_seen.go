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

// memberSet is a set of the members of an object of a struct type, by
// their index (structMember.index): the first 64 without an allocation.
type memberSet struct {
	low  uint64
	high map[int]bool
}

// add adds member i and reports whether it was not in the set.
func (s *memberSet) add(i int) bool {
	if i < 64 {
		bit := uint64(1) << i
		added := s.low&bit == 0
		s.low |= bit
		return added
	}
	if s.high[i] {
		return false
	}
	if s.high == nil {
		s.high = map[int]bool{}
	}
	s.high[i] = true
	return true
}
