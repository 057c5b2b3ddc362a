const token = localStorage.getItem("token");
const answer = await fetch("/api/notes", { headers: { Authorization: `Bearer ${token}` } });
const { notes } = await answer.json();
document.querySelector("#notes").replaceChildren(
  ...notes.map((note) => Object.assign(document.createElement("article"), { textContent: note.title })),
);
