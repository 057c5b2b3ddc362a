"""Expenses in a SQL database, through the SQLAlchemy 2.0 ORM.

`ExpenseRow` is how an expense is stored: one row of the `expenses` table. `Expense` (in
models.py) is what the rest of the program works with. The repository turns one into the
other, so no row ever leaves this module and the services never see SQLAlchemy.
"""

from decimal import Decimal

from sqlalchemy import Numeric, Text, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from expense_tracker.models import Expense


class Base(DeclarativeBase):
    """Every table of the program; `Base.metadata` is what db.py creates."""


class ExpenseRow(Base):
    __tablename__ = "expenses"
    # AUTOINCREMENT makes SQLite remember the highest id it ever gave out, so an id is never
    # reused, not even after the newest expense is deleted. Without it SQLite would give
    # the next expense max(id) + 1, and `show 3` could show a different expense from the
    # one you deleted yesterday.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Numeric(10, 2): up to 99,999,999.99, exact in PostgreSQL. SQLite has no decimal type
    # and keeps a float; SQLAlchemy rounds it back to 2 places on the way out, which is
    # exact at this size. Totals are added up in Python, with Decimal, never in SQL.
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    category: Mapped[str]
    note: Mapped[str] = mapped_column(Text, default="")

    def to_domain(self) -> Expense:
        return Expense(id=self.id, amount=self.amount, category=self.category, note=self.note)


class SqlAlchemyExpenseRepository:
    """The services' ExpenseRepository on one Session. It never commits: the unit of work
    that owns the Session decides when a change is kept."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, amount: Decimal, category: str, note: str) -> Expense:
        row = ExpenseRow(amount=amount, category=category, note=note)
        self.session.add(row)
        self.session.flush()  # send the INSERT now, so the database assigns the id
        return row.to_domain()

    def get(self, expense_id: int) -> Expense | None:
        row = self.session.get(ExpenseRow, expense_id)
        return row.to_domain() if row is not None else None

    def all(self) -> list[Expense]:
        rows = self.session.scalars(select(ExpenseRow).order_by(ExpenseRow.id))
        return [row.to_domain() for row in rows]

    def slice(self, limit: int, offset: int) -> list[Expense]:
        # ORDER BY id makes pages stable: without it SQL may return rows in any order, and
        # the same expense could show up on two pages, or on none.
        query = select(ExpenseRow).order_by(ExpenseRow.id).limit(limit).offset(offset)
        return [row.to_domain() for row in self.session.scalars(query)]

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(ExpenseRow)) or 0

    def update(self, expense: Expense) -> None:
        row = self.session.get(ExpenseRow, expense.id)
        if row is not None:
            row.amount, row.category, row.note = expense.amount, expense.category, expense.note

    def delete(self, expense_id: int) -> None:
        row = self.session.get(ExpenseRow, expense_id)
        if row is not None:
            self.session.delete(row)
