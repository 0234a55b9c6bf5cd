/**
 * 用户 (admins): the people who can sign in, with their roles and units, and
 * a form to add one (or change one's name, address and roles) — the new
 * user gets a temporary password to hand over, changed at first sign-in;
 * people are deactivated (and brought back), never deleted.
 */
import { Alert, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Person } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { useAction } from './useAction';

const ROLES = ['reporter', 'leader', 'backup', 'supervisor', 'coordinator', 'admin', 'district_leader'] as const;
const UNIT_ROLES = ['reporter', 'leader', 'backup'];

export function Users({ language }: { language: Language }) {
  const { t, role: roleName } = words(language);
  const [users, setUsers] = useState<Person[] | undefined>(undefined);
  const [units, setUnits] = useState<{ id: string; name: string }[]>([]);
  const [categories, setCategories] = useState<client.CategoryName[]>([]);
  const [temporary, setTemporary] = useState<{ id: string; password: string } | null>(null);
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<client.NewUser>();
  const load = useCallback(async () => {
    setUsers((await client.authUsers()).users);
  }, []);
  useEffect(() => {
    void load();
    void client.setupUnits().then(setUnits);
    void client.setupCategories().then(setCategories);
  }, [load]);
  const { run, busy } = useAction(language, load);

  const add = (values: client.NewUser) =>
    run(async () => {
      const roles = values.roles.map((r) =>
        UNIT_ROLES.includes(r.role) || r.unit || r.category ? r : { role: r.role },
      );
      const answer = await client.authAddUser({ ...values, roles });
      setTemporary(answer.password ? { id: answer.id, password: answer.password } : null);
      form.resetFields();
    }, t('saved'));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('addUser')}>
        {temporary ? (
          <Alert
            type="success"
            data-testid="temporary-password"
            title={t('temporaryPassword', 0)}
            description={
              <Typography.Text copyable code>
                {temporary.id} / {temporary.password}
              </Typography.Text>
            }
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Form
          form={form}
          layout="vertical"
          disabled={busy}
          initialValues={{ language: 'zh-CN', roles: [{ role: 'reporter' }] }}
          onFinish={add}
        >
          <Space wrap align="start">
            <Form.Item
              name="id"
              label={t('userId')}
              rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._@-]{1,99}$/ }]}
            >
              <Input style={{ width: 200 }} aria-label={t('userId')} />
            </Form.Item>
            <Form.Item name="name" label={t('personName')} rules={[{ required: true, whitespace: true }]}>
              <Input style={{ width: 160 }} aria-label={t('personName')} />
            </Form.Item>
            <Form.Item name="email" label={t('email')} rules={[{ required: true, type: 'email' }]}>
              <Input style={{ width: 240 }} aria-label={t('email')} />
            </Form.Item>
            <Form.Item name="language" label={t('mailLanguage')}>
              <Select
                style={{ width: 120 }}
                aria-label={t('mailLanguage')}
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </Form.Item>
          </Space>
          <Form.List name="roles">
            {(fields, { add: addRole, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} wrap>
                    <Form.Item name={[field.name, 'role']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 160 }}
                        aria-label={t('role')}
                        options={ROLES.map((r) => ({ value: r, label: roleName(r) }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unit']}>
                      <Select
                        allowClear
                        showSearch
                        style={{ width: 240 }}
                        placeholder={t('unit')}
                        aria-label={t('unit')}
                        options={units.map((u) => ({ value: u.name, label: u.name }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'category']}>
                      <Select
                        allowClear
                        showSearch
                        style={{ width: 280 }}
                        placeholder={t('categoryScope')}
                        aria-label={t('categoryScope')}
                        options={categories.map((c) => ({ value: c.id, label: `${c.planName} · ${c.name}` }))}
                      />
                    </Form.Item>
                    {fields.length > 1 ? <Button onClick={() => remove(field.name)}>−</Button> : null}
                  </Space>
                ))}
                <Button onClick={() => addRole({ role: 'reporter' })}>{t('addRole')}</Button>
              </>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" style={{ marginTop: 16 }}>
            {t('save')}
          </Button>
        </Form>
      </Card>
      <Card
        title={t('page.users')}
        extra={
          <Input.Search
            allowClear
            placeholder={t('findUser')}
            aria-label={t('findUser')}
            onSearch={setSearch}
            style={{ width: 240 }}
          />
        }
      >
        <Table<Person>
          rowKey="personId"
          size="small"
          data-testid="users"
          loading={users === undefined}
          dataSource={users?.filter((u) =>
            [u.personId, u.name, u.email].some((field) => field.toLowerCase().includes(search.trim().toLowerCase())),
          )}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          columns={[
            { title: t('userId'), dataIndex: 'personId', width: 180 },
            { title: t('personName'), dataIndex: 'name', width: 160 },
            { title: t('email'), dataIndex: 'email' },
            {
              title: t('role'),
              dataIndex: 'roles',
              render: (roles: Person['roles']) =>
                roles.map((r, i) => (
                  <Tag key={i}>
                    {roleName(r.role)}
                    {r.unitName ? ` · ${r.unitName}` : ''}
                    {r.categoryName ? ` · ${r.categoryName}` : ''}
                  </Tag>
                )),
            },
            {
              // Never deleted (the audit trail names them): a deactivated person cannot sign in and is mailed nothing.
              title: t('userState'),
              key: 'active',
              width: 160,
              render: (_: unknown, person: Person) => (
                <Space>
                  {person.active ? null : <Tag color="default">{t('deactivated')}</Tag>}
                  {person.active ? (
                    <Popconfirm
                      title={t('deactivateConfirm')}
                      okText={t('deactivate')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => run(() => client.authDeactivate({ id: person.personId }), t('deactivatedDone'))}
                    >
                      <Button size="small" danger disabled={busy}>
                        {t('deactivate')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button
                      size="small"
                      disabled={busy}
                      onClick={() => run(() => client.authReactivate({ id: person.personId }), t('reactivatedDone'))}
                    >
                      {t('reactivate')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
