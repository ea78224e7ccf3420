//! Record linkage of victim lists: blocking, comparison vectors, Fellegi–Sunter with EM, clustering into persons. Pure: no IO.
