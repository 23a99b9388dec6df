"""SQL in Java, PHP, Ruby and TypeScript: literal kinds, heredocs, builders, raw-SQL calls."""

from __future__ import annotations

from guardrails.sql.code import java, php, ruby, typescript
from tests.helpers import Repo
from tests.test_code_support import position_of, scan, spots, sql_texts

JAVA = """package shop;

class EmailRepository {
    private static final String TABLE = "user_emails";
    private static final String INSERT = "INSERT IGNORE INTO user_emails (user_id, email) "
        + "VALUES (?, ?)";

    void archive(JdbcTemplate jdbc, DSLContext ctx) {
        jdbc.update(\"\"\"
            INSERT INTO archive (id)
            SELECT id FROM user_emails
            WHERE created_at < ?
            \"\"\", cutoff);
        jdbc.update("DELETE \\u0049GNORE FROM sessions WHERE user_id = ?", id);
        jdbc.update("UPDATE IGNORE " + TABLE + " SET seen = 1");
        log.warn("insert ignore failed for {}", id);
        // INSERT IGNORE INTO user_emails VALUES (1)
        ctx.insertInto(EMAILS).values(1, "a").onDuplicateKeyIgnore().execute();
    }
}
"""


def test_java(repo: Repo) -> None:
    findings = scan(repo, {"src/EmailRepository.java": JAVA})
    path = "src/EmailRepository.java"
    assert spots(findings) == [
        (path, *position_of(JAVA, "IGNORE INTO user_emails (")),
        (path, *position_of(JAVA, "\\u0049GNORE")),
        (path, *position_of(JAVA, 'IGNORE " + TABLE')),
        (path, *position_of(JAVA, "onDuplicateKeyIgnore")),
    ]
    texts = sql_texts(java.extract(path, JAVA))
    assert "INSERT INTO archive (id) SELECT id FROM user_emails WHERE created_at < ?" in texts
    assert "UPDATE IGNORE _p1 SET seen = 1" in texts  # a non-constant operand is a placeholder
    assert len(texts) == 4


PHP = """<?php
namespace App\\Repositories;

use Illuminate\\Support\\Facades\\DB;

class EmailRepository
{
    public function add(int $userId, string $email): void
    {
        DB::statement('INSERT IGNORE INTO user_emails (user_id, email) VALUES (?, ?)', [$userId, $email]);
        DB::insert("INSERT IGNORE INTO {$this->table} (user_id) VALUES (:id)", ['id' => $userId]);
        $sql = <<<SQL
            INSERT INTO archive (user_id)
            SELECT user_id FROM user_emails WHERE user_id = $userId
            SQL;
        $raw = <<<'SQL'
        UPDATE IGNORE user_emails SET seen = 1
        SQL;
        DB::unprepared('DELETE FROM sessions WHERE note = \\'IGNORE\\'');
        DB::table('user_emails')->insertOrIgnore([['user_id' => $userId]]);
        error_log("INSERT IGNORE INTO user_emails failed for $userId");
        Log::info('insert ignore failed');
    }
}
"""


def test_php(repo: Repo) -> None:
    findings = scan(repo, {"app/EmailRepository.php": PHP})
    path = "app/EmailRepository.php"
    assert spots(findings) == [
        (path, *position_of(PHP, "IGNORE INTO user_emails (user_id, email)")),
        (path, *position_of(PHP, "IGNORE INTO {$this")),
        (path, *position_of(PHP, "IGNORE user_emails SET")),  # nowdoc
        (path, *position_of(PHP, "insertOrIgnore")),
    ]
    assert findings[-1].message.startswith("Laravel ->insertOrIgnore()")
    texts = sql_texts(php.extract(path, PHP))
    assert "INSERT INTO archive (user_id) SELECT user_id FROM user_emails WHERE user_id = _p1" in texts
    assert "DELETE FROM sessions WHERE note = 'IGNORE'" in texts
    assert not any("failed" in t for t in texts)


RUBY = """class EmailStore
  INSERT_SQL = 'INSERT IGNORE INTO user_emails (user_id, email) VALUES (?, ?)'

  def add(user_id, email)
    ActiveRecord::Base.connection.execute("INSERT IGNORE INTO user_emails (user_id) VALUES (#{user_id})")
    User.find_by_sql(%q(SELECT * FROM users WHERE note = 'it\\'s'))
    ActiveRecord::Base.connection.exec_query(<<~SQL, "archive", [user_id])
      INSERT
        IGNORE INTO archive (user_id)
      SELECT user_id FROM user_emails WHERE user_id = $1
    SQL
    Rails.logger.info("insert ignore failed for #{user_id}")
    # INSERT IGNORE INTO user_emails VALUES (1)
    DB[:user_emails].insert_ignore.insert(user_id: user_id)
  end
end
"""


def test_ruby(repo: Repo) -> None:
    findings = scan(repo, {"app/models/email_store.rb": RUBY})
    path = "app/models/email_store.rb"
    assert spots(findings) == [
        (path, *position_of(RUBY, "IGNORE INTO user_emails (user_id, email)")),
        (path, *position_of(RUBY, "IGNORE INTO user_emails (user_id) VALUES (#")),
        (path, *position_of(RUBY, "IGNORE INTO archive")),  # heredoc, second line
        (path, *position_of(RUBY, "insert_ignore")),
    ]
    texts = sql_texts(ruby.extract(path, RUBY))
    assert "SELECT * FROM users WHERE note = 'it's'" not in texts  # that would not be SQL
    assert len(texts) == 4


TYPESCRIPT = """import knex from "knex";

const TABLE = "user_emails";

export async function addEmail(db: Pool, userId: number, email: string): Promise<void> {
  await db.query("INSERT IGNORE INTO user_emails (user_id, email) VALUES (?, ?)", [userId, email]);
  await db.query(`/* ${tag} */ INSERT
    IGNORE INTO ${TABLE} (user_id) VALUES ($1)`, [userId]);
  await db.query('DELETE ' + 'IGNORE FROM sessions WHERE user_id = ?', [userId]);
  console.log("INSERT IGNORE INTO user_emails took too long");
  logger.error(`insert ignore failed for ${userId}`);
  await knex("user_emails").insert({ user_id: userId }).onConflict("user_id").ignore();
  await knex("user_emails").insert({ user_id: userId }).onConflict("user_id").merge();
}
"""


def test_typescript(repo: Repo) -> None:
    findings = scan(repo, {"src/emails.ts": TYPESCRIPT})
    path = "src/emails.ts"
    assert spots(findings) == [
        (path, *position_of(TYPESCRIPT, "IGNORE INTO user_emails (user_id, email)")),
        (path, *position_of(TYPESCRIPT, "IGNORE INTO ${TABLE}")),
        (path, *position_of(TYPESCRIPT, "IGNORE FROM sessions")),
        (path, *position_of(TYPESCRIPT, "ignore()")),
    ]
    assert findings[-1].message.startswith("knex .onConflict().ignore()")
    texts = sql_texts(typescript.extract(path, TYPESCRIPT))
    assert texts[1] == "/* _p1 */ INSERT IGNORE INTO _p2 (user_id) VALUES ($1)"
    assert len(texts) == 3
